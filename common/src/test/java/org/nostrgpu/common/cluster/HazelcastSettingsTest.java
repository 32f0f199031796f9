package org.nostrgpu.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HazelcastSettingsTest {
    /** Tests run in the module directory. */
    private static final Path DOCUMENTED = Path.of("..", "deploy", "hazelcast.xml");

    @TempDir
    Path dir;

    @Test
    void theDocumentedFileIsExactlyTheBuiltInDefaults() throws IOException {
        assertTrue(Files.isRegularFile(DOCUMENTED), "missing " + DOCUMENTED.toAbsolutePath());
        Config file = Config.loadFromFile(DOCUMENTED.toFile());
        Config builtIn = HazelcastSettings.builtInDefaults();

        assertEquals(builtIn.getClusterName(), file.getClusterName());
        assertEquals(builtIn.getProperties(), file.getProperties());
        NetworkConfig fileNetwork = file.getNetworkConfig();
        NetworkConfig builtInNetwork = builtIn.getNetworkConfig();
        assertEquals(builtInNetwork.getPort(), fileNetwork.getPort());
        assertEquals(ClusterOptions.DEFAULT_PORT, fileNetwork.getPort());
        assertEquals(builtInNetwork.isPortAutoIncrement(), fileNetwork.isPortAutoIncrement());
        JoinConfig fileJoin = fileNetwork.getJoin();
        JoinConfig builtInJoin = builtInNetwork.getJoin();
        assertEquals(builtInJoin.getMulticastConfig().isEnabled(), fileJoin.getMulticastConfig().isEnabled());
        assertEquals(builtInJoin.getAutoDetectionConfig().isEnabled(), fileJoin.getAutoDetectionConfig().isEnabled());
        assertEquals(builtInJoin.getTcpIpConfig(), fileJoin.getTcpIpConfig());
        assertEquals(builtIn.getMultiMapConfigs(), file.getMultiMapConfigs());
        assertEquals(builtIn.getMapConfigs(), file.getMapConfigs());
    }

    @Test
    void theBuiltInDefaultsJoinOnlyByTcpIpAndNeverPhoneHome() {
        Config config = HazelcastSettings.builtInDefaults();
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getAutoDetectionConfig().isEnabled());
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertFalse(config.getNetworkConfig().isPortAutoIncrement());
        assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
        assertEquals(HazelcastSettings.CLUSTER_NAME, config.getClusterName());
    }

    @Test
    void aMemberBindsItsHostAndPortAndFindsTheListedMembersByDiscovery() {
        Config config = HazelcastSettings.forMember(new ClusterOptions(true, "127.0.0.1", 15701,
                List.of("127.0.0.1:15702", "relay:15703"), null));
        NetworkConfig network = config.getNetworkConfig();
        assertEquals(15701, network.getPort());
        assertEquals("127.0.0.1", config.getProperty(HazelcastSettings.LOCAL_ADDRESS_PROPERTY));
        assertFalse(network.getInterfaces().isEnabled(),
                "no interface list: Hazelcast would drop member names resolving to other hosts' addresses");
        assertListedMembersAreDiscovered(config, "127.0.0.1:15702,relay:15703");
    }

    @Test
    void theFirstMemberListsItselfAndAHostNameIsResolvedForItsOwnAddress() {
        Config config = HazelcastSettings.forMember(new ClusterOptions(true, "localhost", 15705, List.of(), null));
        assertEquals(List.of("localhost:15705"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        String bound = config.getProperty(HazelcastSettings.LOCAL_ADDRESS_PROPERTY);
        assertTrue(bound.equals("127.0.0.1") || bound.equals("0:0:0:0:0:0:0:1"), bound);
    }

    @Test
    void aWildcardHostLeavesTheAddressChoiceToHazelcast() {
        Config config = HazelcastSettings.forMember(new ClusterOptions(true, "0.0.0.0", 5701, List.of(), null));
        assertNull(config.getProperty(HazelcastSettings.LOCAL_ADDRESS_PROPERTY));
        assertFalse(config.getNetworkConfig().getInterfaces().isEnabled());
    }

    /** Exactly one join method: the member-list discovery with these members, TCP-IP and multicast off. */
    private static void assertListedMembersAreDiscovered(Config config, String members) {
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertFalse(join.getTcpIpConfig().isEnabled());
        assertFalse(join.getMulticastConfig().isEnabled());
        assertEquals("true", config.getProperty(HazelcastSettings.DISCOVERY_ENABLED_PROPERTY));
        List<DiscoveryStrategyConfig> strategies = List.copyOf(join.getDiscoveryConfig().getDiscoveryStrategyConfigs());
        assertEquals(1, strategies.size());
        assertEquals(MemberListDiscovery.class,
                strategies.get(0).getDiscoveryStrategyFactory().getDiscoveryStrategyType());
        assertEquals(members, strategies.get(0).getProperties().get(MemberListDiscovery.MEMBERS.key()));
        join.verify();
    }

    @Test
    void aFileReplacesTheDefaultsButTheMemberAddressComesFromTheOptions() throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, """
                hazelcast:
                  cluster-name: my-relays
                  network:
                    port:
                      port: 6000
                    join:
                      multicast:
                        enabled: false
                      tcp-ip:
                        enabled: true
                        member-list:
                          - 10.0.0.1:6000
                """);
        Config listed = HazelcastSettings.forMember(new ClusterOptions(true, "127.0.0.1", 16001, List.of(),
                file.toString()));
        assertEquals("my-relays", listed.getClusterName());
        assertEquals(16001, listed.getNetworkConfig().getPort());
        assertEquals(List.of("10.0.0.1:6000"), listed.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        assertTrue(listed.getMultiMapConfigs().containsKey(HazelcastSettings.SUBSCRIPTIONS_MULTIMAP),
                "the structures Vert.x needs are added to a file that lacks them");

        Config overridden = HazelcastSettings.forMember(new ClusterOptions(true, "127.0.0.1", 16001,
                List.of("127.0.0.1:16002"), file.toString()));
        assertEquals("my-relays", overridden.getClusterName());
        assertListedMembersAreDiscovered(overridden, "127.0.0.1:16002");
    }

    @Test
    void aMissingOrBrokenFileIsRefusedWithItsPath() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () ->
                HazelcastSettings.forMember(new ClusterOptions(true, "127.0.0.1", 5701, List.of(),
                        dir.resolve("absent.xml").toString())));
        assertTrue(missing.getMessage().contains("absent.xml"), missing.getMessage());

        Path broken = Files.writeString(dir.resolve("broken.xml"), "<hazelcast><network><port>x</port>");
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () ->
                HazelcastSettings.forMember(new ClusterOptions(true, "127.0.0.1", 5701, List.of(), broken.toString())));
        assertTrue(invalid.getMessage().contains("broken.xml"), invalid.getMessage());
    }
}
