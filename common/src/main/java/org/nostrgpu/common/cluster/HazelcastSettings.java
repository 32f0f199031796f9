package org.nostrgpu.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;

import java.io.File;
import java.io.FileNotFoundException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hazelcast configuration of one cluster member, built from {@link ClusterOptions}.
 *
 * <p>Without a file, the built-in defaults below apply; {@code deploy/hazelcast.xml} spells out the same settings
 * (a test keeps the two equal) so an operator can copy and change it. With a file, the file replaces the built-in
 * defaults. Either way the member's own {@code host}, {@code port} and {@code members} from the options are
 * applied last: they differ per member while one file is shared by all members, so they come from the command
 * line (or environment) rather than from the file. Listed members replace the file's join settings: they are found
 * by {@link MemberListDiscovery}, which looks each name up at every join attempt and takes all its addresses.
 *
 * <p>Built-in defaults: cluster name {@value #CLUSTER_NAME}; TCP-IP join with the explicit member list, multicast
 * and auto-detection off; the member port fixed (no auto-increment, so the port an operator lists is the port a
 * member has); short join wait, heartbeat and failure detection (a killed worker is noticed within about
 * {@value #MAX_NO_HEARTBEAT_SECONDS} s); Hazelcast's phone-home off; Hazelcast's own shutdown hook off (the
 * application leaves the cluster when it closes Vert.x); logging through java.util.logging.
 */
public final class HazelcastSettings {
    public static final String CLUSTER_NAME = "nostr-gpu-relay";
    static final int MAX_NO_HEARTBEAT_SECONDS = 10;
    static final int CONNECTION_TIMEOUT_SECONDS = 2;
    /** Hazelcast's property for the address a member binds and announces (with bind-any off, as here). */
    static final String LOCAL_ADDRESS_PROPERTY = "hazelcast.local.localAddress";
    static final String DISCOVERY_ENABLED_PROPERTY = "hazelcast.discovery.enabled";

    /** The maps Vert.x keeps in Hazelcast; a configuration lacking them gets these settings. */
    static final String SUBSCRIPTIONS_MULTIMAP = "__vertx.subs";
    static final List<String> VERTX_MAPS = List.of("__vertx.haInfo", "__vertx.nodeInfo");

    /** Hazelcast system properties of the built-in defaults, in the order deploy/hazelcast.xml lists them. */
    static final Map<String, String> PROPERTIES = defaultProperties();

    private HazelcastSettings() {
    }

    /**
     * The configuration for this member: the file's when {@link ClusterOptions#configFile()} is set, the built-in
     * defaults otherwise, then the options' host, port and members.
     *
     * @throws IllegalArgumentException when the file is missing or invalid, or the host does not resolve
     */
    public static Config forMember(ClusterOptions options) {
        Config config = options.configFile() == null ? builtInDefaults() : fromFile(options.configFile());
        ensureVertxStructures(config);
        applyMemberAddress(config, options);
        return config;
    }

    /** The built-in defaults, without any member address (see {@link #forMember}). */
    static Config builtInDefaults() {
        Config config = new Config();
        config.setClusterName(CLUSTER_NAME);
        PROPERTIES.forEach(config::setProperty);
        NetworkConfig network = config.getNetworkConfig();
        network.setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(CONNECTION_TIMEOUT_SECONDS);
        ensureVertxStructures(config);
        return config;
    }

    private static Map<String, String> defaultProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hazelcast.phone.home.enabled", "false");
        properties.put("hazelcast.logging.type", "jdk");
        properties.put("hazelcast.shutdownhook.enabled", "false");
        properties.put("hazelcast.socket.bind.any", "false");
        properties.put("hazelcast.wait.seconds.before.join", "1");
        properties.put("hazelcast.heartbeat.interval.seconds", "1");
        properties.put("hazelcast.max.no.heartbeat.seconds", Integer.toString(MAX_NO_HEARTBEAT_SECONDS));
        properties.put("hazelcast.merge.first.run.delay.seconds", "10");
        properties.put("hazelcast.merge.next.run.delay.seconds", "10");
        properties.put("hazelcast.graceful.shutdown.max.wait", "20");
        return Collections.unmodifiableMap(properties);
    }

    private static Config fromFile(String path) {
        try {
            return Config.loadFromFile(new File(path));
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("Hazelcast configuration file not found: " + path, e);
        } catch (InvalidConfigurationException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Hazelcast configuration file " + path + " is not valid: "
                    + e.getMessage(), e);
        }
    }

    /** Vert.x needs its subscription multimap to hold a set; a file that omits these gets them. */
    private static void ensureVertxStructures(Config config) {
        if (!config.getMultiMapConfigs().containsKey(SUBSCRIPTIONS_MULTIMAP)) {
            config.addMultiMapConfig(new MultiMapConfig(SUBSCRIPTIONS_MULTIMAP)
                    .setBackupCount(1)
                    .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        }
        for (String map : VERTX_MAPS) {
            if (!config.getMapConfigs().containsKey(map)) {
                config.addMapConfig(new MapConfig(map).setBackupCount(1));
            }
        }
    }

    private static void applyMemberAddress(Config config, ClusterOptions options) {
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.port());
        if (!isWildcard(options.host())) {
            // bind to and announce exactly this address instead of whichever interface Hazelcast would pick. Not
            // through the interfaces setting: with it, Hazelcast's TCP-IP join keeps a member name only if it
            // resolves to one of this member's own interfaces, so names of other hosts were dropped silently
            config.setProperty(LOCAL_ADDRESS_PROPERTY, ipOf(options.host()));
        }
        JoinConfig join = network.getJoin();
        TcpIpConfig tcpIp = join.getTcpIpConfig();
        if (!options.members().isEmpty()) {
            // the listed members, every address of every name, looked up again at each join attempt
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            tcpIp.setEnabled(false);
            join.getDiscoveryConfig().setDiscoveryStrategyConfigs(
                    new ArrayList<>(List.of(MemberListDiscovery.config(options.members()))));
            config.setProperty(DISCOVERY_ENABLED_PROPERTY, "true");
        } else if (tcpIp.isEnabled() && tcpIp.getMembers().isEmpty()) {
            // the first member of a cluster: nobody else to list yet
            tcpIp.addMember(memberAddress(options));
        }
    }

    /** The address other members list for this one: {@code host:port}. */
    public static String memberAddress(ClusterOptions options) {
        return options.host() + ":" + options.port();
    }

    static boolean isWildcard(String host) {
        return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String ipOf(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cluster host " + host + " does not resolve to an address", e);
        }
    }
}
