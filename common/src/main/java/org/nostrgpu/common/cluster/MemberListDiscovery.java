package org.nostrgpu.common.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.config.properties.PropertyTypeConverter;
import com.hazelcast.config.properties.SimplePropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds the cluster's members from the {@code host:port} list of the cluster options, looking every name up again
 * each time Hazelcast asks (at the start, at each join attempt, and every few seconds while it searches for other
 * clusters to merge with), and taking every address a name resolves to.
 *
 * <p>Why not Hazelcast's own TCP-IP join: it resolves a member name to one address only, so a name that stands
 * for several members (a scaled Compose service, {@code relay}) yields one of them; and a member whose own address
 * is pinned through the interfaces setting silently drops every name resolving to another host's address, which
 * split containers listed by name into one-member clusters. Here a name that does not resolve yet (a container
 * not started) is skipped and tried again on the next round, so members may start in any order; a member that
 * comes back at a new address is found at that address.
 */
public final class MemberListDiscovery extends AbstractDiscoveryStrategy {
    private static final System.Logger LOG = System.getLogger(MemberListDiscovery.class.getName());

    /** The strategy's one property: the members, comma-separated {@code host:port} ({@code [v6]:port}). */
    static final PropertyDefinition MEMBERS =
            new SimplePropertyDefinition("members", PropertyTypeConverter.STRING);

    private final List<String> members;
    private final Function<String, InetAddress[]> resolver;
    /** What the last round found, to log only changes; touched by Hazelcast's joiner threads one at a time. */
    private volatile String lastOutcome = "";

    MemberListDiscovery(ILogger logger, Map<String, Comparable> properties, Function<String, InetAddress[]> resolver) {
        super(logger, properties);
        this.members = List.of(((String) getOrDefault(MEMBERS, "")).split(",")).stream()
                .map(String::strip).filter(member -> !member.isEmpty()).toList();
        this.resolver = resolver;
    }

    /** The discovery configuration that makes a member look for exactly these members. */
    static DiscoveryStrategyConfig config(List<String> members) {
        return new DiscoveryStrategyConfig(new Factory(), Map.of(MEMBERS.key(), String.join(",", members)));
    }

    @Override
    public Iterable<DiscoveryNode> discoverNodes() {
        List<DiscoveryNode> found = new ArrayList<>();
        StringBuilder outcome = new StringBuilder();
        for (String member : members) {
            int colon = member.lastIndexOf(':');
            String host = member.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(member.substring(colon + 1));
            outcome.append(outcome.length() == 0 ? "" : "; ").append(member).append(" -> ");
            // sorted: DNS servers such as Docker's rotate the order, which is no change worth a log line
            InetAddress[] addresses = resolver.apply(host).clone();
            Arrays.sort(addresses, Comparator.comparing(InetAddress::getHostAddress));
            if (addresses.length == 0) {
                outcome.append("does not resolve (yet)");
            }
            for (InetAddress address : addresses) {
                found.add(new SimpleDiscoveryNode(new Address(address, port)));
                outcome.append(address.getHostAddress()).append(' ');
            }
        }
        String now = outcome.toString().strip();
        if (!now.equals(lastOutcome)) {
            lastOutcome = now;
            LOG.log(System.Logger.Level.INFO, "cluster members listed: " + now);
        }
        return found;
    }

    @Override
    public Map<String, String> discoverLocalMetadata() {
        return Map.of();
    }

    /** Every address of the name, through the JVM's resolver; none when it does not resolve. */
    static InetAddress[] lookUp(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }

    /** How Hazelcast creates the strategy from its configuration. */
    static final class Factory implements DiscoveryStrategyFactory {
        @Override
        public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
            return MemberListDiscovery.class;
        }

        @Override
        public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode node, ILogger logger,
                                                      Map<String, Comparable> properties) {
            return new MemberListDiscovery(logger, properties, MemberListDiscovery::lookUp);
        }

        @Override
        public Collection<PropertyDefinition> getConfigurationProperties() {
            return List.of(MEMBERS);
        }
    }
}
