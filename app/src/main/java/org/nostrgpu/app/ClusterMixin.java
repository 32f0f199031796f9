package org.nostrgpu.app;

import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.config.ConfigException;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --cluster} options that {@code relay} and {@code worker} share, and where each value comes from,
 * highest first: the option, its environment variable ({@code CLUSTER}, {@code CLUSTER_HOST},
 * {@code CLUSTER_PORT}, {@code CLUSTER_BUS_PORT}, {@code CLUSTER_MEMBERS}, {@code CLUSTER_CONFIG}), the built-in
 * default.
 *
 * <p>Cluster mode is on when {@code --cluster} or any other {@code --cluster-*} option is given, else when
 * {@code CLUSTER=true}, else when any {@code CLUSTER_*} variable is set and {@code CLUSTER} is not
 * {@code false}. Naming a member list and then running alone by mistake would silently split the cluster,
 * so a cluster setting is never ignored.
 */
final class ClusterMixin {
    static final String ENABLE_ENV = "CLUSTER";
    static final String HOST_ENV = "CLUSTER_HOST";
    static final String PORT_ENV = "CLUSTER_PORT";
    static final String BUS_PORT_ENV = "CLUSTER_BUS_PORT";
    static final String MEMBERS_ENV = "CLUSTER_MEMBERS";
    static final String CONFIG_ENV = "CLUSTER_CONFIG";
    static final String DEFAULT_HOST = "127.0.0.1";
    /** The host value that stands for the address this machine's own name resolves to. */
    static final String AUTO_HOST = "auto";

    @Option(names = "--cluster",
            description = "Join the Vert.x cluster (Hazelcast, TCP-IP join, multicast off) instead of running alone. "
                    + "Implied by any other --cluster-* option, by CLUSTER=true, and by any CLUSTER_* "
                    + "variable unless CLUSTER=false.")
    boolean cluster;

    @Option(names = "--cluster-host", paramLabel = "ADDRESS",
            description = "Address this member binds and announces to the others, for Hazelcast and the event bus "
                    + "(default " + DEFAULT_HOST + "; env CLUSTER_HOST). Must be reachable by every other member. "
                    + "A name is resolved to its address; " + AUTO_HOST + " takes the address this machine's host "
                    + "name resolves to (in a container: its address on the container network).")
    String host;

    @Option(names = "--cluster-port", paramLabel = "PORT",
            description = "Hazelcast member port (default " + ClusterOptions.DEFAULT_PORT + "; env CLUSTER_PORT).")
    Integer port;

    @Option(names = "--cluster-bus-port", paramLabel = "PORT",
            description = "Port of the Vert.x event bus, on the cluster host (default: a free port chosen at start; "
                    + "env CLUSTER_BUS_PORT). Pin it to allow exactly this port and the cluster port in a firewall.")
    Integer busPort;

    @Option(names = "--cluster-members", paramLabel = "HOST:PORT", split = ",",
            description = "Members to join, comma-separated host:port of their --cluster-port (may list this one; "
                    + "env CLUSTER_MEMBERS). Names are looked up again at every join attempt and every address of "
                    + "a name is tried, so a name may stand for several members and members may start in any order. "
                    + "Without it this member waits for the others to join it.")
    List<String> members;

    @Option(names = "--cluster-config", paramLabel = "FILE",
            description = "Hazelcast XML or YAML configuration replacing the built-in one (env CLUSTER_CONFIG); "
                    + "this member's --cluster-host, --cluster-port and --cluster-members (their defaults included) "
                    + "still apply on top of it, so one file can serve every member.")
    Path configFile;

    /**
     * The options in effect, given the process environment.
     *
     * @throws ConfigException naming the option or variable whose value is wrong
     */
    ClusterOptions resolve(Map<String, String> env) {
        if (!enabled(env)) {
            return ClusterOptions.standalone();
        }
        String resolvedHost = host != null ? requireNonBlank(host, "--cluster-host")
                : envOr(env, HOST_ENV, DEFAULT_HOST);
        if (resolvedHost.equalsIgnoreCase(AUTO_HOST)) {
            resolvedHost = ownAddress();
        }
        int resolvedPort = port != null ? checkPort(port, "--cluster-port")
                : envPort(env, PORT_ENV, ClusterOptions.DEFAULT_PORT);
        int resolvedBusPort = busPort != null ? checkPort(busPort, "--cluster-bus-port")
                : envPort(env, BUS_PORT_ENV, ClusterOptions.ANY_BUS_PORT);
        List<String> resolvedMembers = members != null ? parseMembers(members, "--cluster-members")
                : parseMembers(splitList(env.get(MEMBERS_ENV)), MEMBERS_ENV + " environment variable");
        Path resolvedConfig = configFile != null ? configFile : envPath(env);
        if (resolvedConfig != null && !Files.isReadable(resolvedConfig)) {
            throw new ConfigException("cluster config file not found or not readable: " + resolvedConfig);
        }
        if (resolvedBusPort == resolvedPort) {
            throw new ConfigException("the event bus port and the cluster port must differ, both are " + resolvedPort);
        }
        return new ClusterOptions(true, resolvedHost, resolvedPort, resolvedMembers,
                resolvedConfig == null ? null : resolvedConfig.toString(), resolvedBusPort);
    }

    private boolean enabled(Map<String, String> env) {
        if (cluster || host != null || port != null || busPort != null || members != null || configFile != null) {
            return true;
        }
        String explicit = blankToNull(env.get(ENABLE_ENV));
        if (explicit != null) {
            return switch (explicit.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new ConfigException(
                        "CLUSTER environment variable must be true or false, got \"" + explicit + "\"");
            };
        }
        return List.of(HOST_ENV, PORT_ENV, BUS_PORT_ENV, MEMBERS_ENV, CONFIG_ENV).stream()
                .anyMatch(name -> blankToNull(env.get(name)) != null);
    }

    private static int envPort(Map<String, String> env, String name, int fallback) {
        String text = blankToNull(env.get(name));
        if (text == null) {
            return fallback;
        }
        return parsePort(text, name + " environment variable");
    }

    /**
     * The address this machine's host name resolves to: in a container, its address on the container network
     * (Docker writes it to /etc/hosts), which differs per container and so cannot be written into a shared file.
     */
    static String ownAddress() {
        InetAddress local;
        try {
            local = InetAddress.getLocalHost();
        } catch (UnknownHostException e) {
            throw new ConfigException("cluster host " + AUTO_HOST + ": this machine's host name does not resolve ("
                    + e.getMessage() + "); give the address with --cluster-host or CLUSTER_HOST");
        }
        if (local.isLoopbackAddress()) {
            throw new ConfigException("cluster host " + AUTO_HOST + ": this machine's host name resolves to "
                    + local.getHostAddress() + ", a loopback address other members cannot reach; give the address "
                    + "with --cluster-host or CLUSTER_HOST");
        }
        return local.getHostAddress();
    }

    private static Path envPath(Map<String, String> env) {
        String text = blankToNull(env.get(CONFIG_ENV));
        return text == null ? null : Path.of(text);
    }

    /** "host:port" entries, each checked; IPv6 addresses in brackets ({@code [::1]:5701}). */
    static List<String> parseMembers(List<String> entries, String source) {
        List<String> parsed = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            String memberHost = colon < 0 ? "" : entry.substring(0, colon);
            if (colon < 0 || memberHost.isEmpty() || (memberHost.contains(":") && !memberHost.startsWith("["))) {
                throw new ConfigException(source + ": each member must be host:port, got \"" + entry + "\"");
            }
            parsePort(entry.substring(colon + 1), source + " (member \"" + entry + "\")");
            parsed.add(entry);
        }
        return parsed;
    }

    private static List<String> splitList(String text) {
        return text == null ? List.of() : List.of(text.split(","));
    }

    private static int parsePort(String text, String source) {
        try {
            return checkPort(Integer.parseInt(text.strip()), source);
        } catch (NumberFormatException e) {
            throw new ConfigException(source + " must be a port number from 1 to 65535, got \"" + text + "\"");
        }
    }

    private static int checkPort(int value, String source) {
        if (value < 1 || value > 65_535) {
            throw new ConfigException(source + " must be a port number from 1 to 65535, got " + value);
        }
        return value;
    }

    private static String requireNonBlank(String value, String source) {
        if (value.isBlank()) {
            throw new ConfigException(source + " must not be empty");
        }
        return value.strip();
    }

    private static String envOr(Map<String, String> env, String name, String fallback) {
        String value = blankToNull(env.get(name));
        return value == null ? fallback : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
