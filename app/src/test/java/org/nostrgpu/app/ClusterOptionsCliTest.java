package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.config.ConfigException;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --cluster options both subcommands share: parsing, when they switch cluster mode on, and precedence. */
class ClusterOptionsCliTest {
    @TempDir
    Path tmp;

    /** Parses {@code args} as the given subcommand and resolves its cluster options against {@code env}. */
    private static ClusterOptions resolve(String subcommand, Map<String, String> env, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = subcommand;
        System.arraycopy(args, 0, full, 1, args.length);
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(full);
        Object command = parsed.subcommand().commandSpec().userObject();
        ClusterMixin mixin = command instanceof RelayCommand relay ? relay.cluster : ((WorkerCommand) command).cluster;
        return mixin.resolve(env);
    }

    @Test
    void withoutClusterSettingsBothSubcommandsRunAlone() {
        assertEquals(ClusterOptions.standalone(), resolve("relay", Map.of()));
        assertEquals(ClusterOptions.standalone(), resolve("worker", Map.of()));
        assertFalse(resolve("worker", Map.of("HOST", "10.0.0.1", "PORT", "7000")).enabled());
    }

    @Test
    void clusterFlagAloneUsesTheDefaults() {
        ClusterOptions options = resolve("worker", Map.of(), "--cluster");
        assertEquals(new ClusterOptions(true, "127.0.0.1", 5701, List.of(), null), options);
    }

    @Test
    void everyOptionIsReadAndImpliesClusterMode() throws Exception {
        Path hazelcast = tmp.resolve("hazelcast.yaml");
        Files.writeString(hazelcast, "hazelcast: {}\n");
        ClusterOptions options = resolve("relay", Map.of(),
                "--cluster-host", "127.0.0.2", "--cluster-port", "5800",
                "--cluster-members", "127.0.0.1:5701,127.0.0.3:5702", "--cluster-config", hazelcast.toString());
        assertEquals(new ClusterOptions(true, "127.0.0.2", 5800, List.of("127.0.0.1:5701", "127.0.0.3:5702"),
                hazelcast.toString()), options);
        assertTrue(resolve("worker", Map.of(), "--cluster-port", "5800").enabled());
        assertTrue(resolve("worker", Map.of(), "--cluster-members", "127.0.0.1:5701").enabled());
    }

    @Test
    void commandLineBeatsEnvironmentWhichBeatsDefaults() {
        Map<String, String> env = Map.of("CLUSTER_HOST", "127.0.0.5", "CLUSTER_PORT", "5900",
                "CLUSTER_MEMBERS", " 127.0.0.6:5901 , 127.0.0.7:5902 ");
        ClusterOptions fromEnv = resolve("worker", env);
        assertEquals(new ClusterOptions(true, "127.0.0.5", 5900, List.of("127.0.0.6:5901", "127.0.0.7:5902"), null),
                fromEnv);

        ClusterOptions fromCli = resolve("worker", env, "--cluster-host", "127.0.0.9", "--cluster-port", "6000",
                "--cluster-members", "127.0.0.10:6001");
        assertEquals(new ClusterOptions(true, "127.0.0.9", 6000, List.of("127.0.0.10:6001"), null), fromCli);

        ClusterOptions mixed = resolve("relay", env, "--cluster-port", "6000");
        assertEquals("127.0.0.5", mixed.host());
        assertEquals(6000, mixed.port());
        assertEquals(List.of("127.0.0.6:5901", "127.0.0.7:5902"), mixed.members());
    }

    @Test
    void theClusterVariableSwitchesModeExplicitly() {
        assertTrue(resolve("relay", Map.of("CLUSTER", "true")).enabled());
        assertFalse(resolve("relay", Map.of("CLUSTER", "false", "CLUSTER_MEMBERS", "127.0.0.1:5701")).enabled());
        // the command line still wins over CLUSTER=false
        assertTrue(resolve("relay", Map.of("CLUSTER", "false"), "--cluster").enabled());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> resolve("relay", Map.of("CLUSTER", "maybe")));
        assertTrue(bad.getMessage().contains("CLUSTER"), bad.getMessage());
    }

    @Test
    void badValuesAreRefusedNamingTheirSource() {
        assertRefused("--cluster-port", () -> resolve("worker", Map.of(), "--cluster-port", "0"));
        assertRefused("CLUSTER_PORT", () -> resolve("worker", Map.of("CLUSTER_PORT", "lots")));
        assertRefused("127.0.0.1", () -> resolve("worker", Map.of(), "--cluster-members", "127.0.0.1"));
        assertRefused("70000", () -> resolve("worker", Map.of(), "--cluster-members", "127.0.0.1:70000"));
        assertRefused("CLUSTER_MEMBERS", () -> resolve("worker", Map.of("CLUSTER_MEMBERS", ":5701")));
        assertRefused("--cluster-host", () -> resolve("worker", Map.of(), "--cluster-host", " "));
        assertRefused("missing.yaml",
                () -> resolve("worker", Map.of(), "--cluster-config", tmp.resolve("missing.yaml").toString()));
    }

    @Test
    void theEventBusPortIsAFreeOneUnlessPinnedByOptionOrEnvironment() {
        assertEquals(ClusterOptions.ANY_BUS_PORT, resolve("relay", Map.of(), "--cluster").busPort());
        assertEquals(5702, resolve("relay", Map.of(), "--cluster-bus-port", "5702").busPort());
        ClusterOptions fromEnv = resolve("worker", Map.of("CLUSTER_BUS_PORT", "5802"));
        assertTrue(fromEnv.enabled(), "CLUSTER_BUS_PORT is a cluster setting like the others");
        assertEquals(5802, fromEnv.busPort());
        assertEquals(5903, resolve("worker", Map.of("CLUSTER_BUS_PORT", "5802"), "--cluster-bus-port", "5903")
                .busPort());
        assertRefused("CLUSTER_BUS_PORT", () -> resolve("worker", Map.of("CLUSTER_BUS_PORT", "x")));
        assertRefused("must differ", () -> resolve("worker", Map.of(), "--cluster-bus-port", "5701"));
    }

    @Test
    void autoHostIsThisMachinesOwnAddress() throws Exception {
        java.net.InetAddress local = java.net.InetAddress.getLocalHost();
        if (local.isLoopbackAddress()) {
            assertRefused("loopback", () -> resolve("relay", Map.of("CLUSTER_HOST", "auto")));
        } else {
            assertEquals(local.getHostAddress(), resolve("relay", Map.of("CLUSTER_HOST", "auto")).host());
            assertEquals(local.getHostAddress(), resolve("worker", Map.of(), "--cluster-host", "AUTO").host());
        }
    }

    @Test
    void bracketedIpv6MembersAreAccepted() {
        assertEquals(List.of("[::1]:5701"), resolve("worker", Map.of(), "--cluster-members", "[::1]:5701").members());
        assertRefused("::1:5701", () -> resolve("worker", Map.of(), "--cluster-members", "::1:5701"));
    }

    @Test
    void clusterConfigFileMayComeFromTheEnvironment() throws Exception {
        Path hazelcast = tmp.resolve("hz.xml");
        Files.writeString(hazelcast, "<hazelcast/>\n");
        assertEquals(hazelcast.toString(),
                resolve("relay", Map.of("CLUSTER_CONFIG", hazelcast.toString())).configFile());
        assertNull(resolve("relay", Map.of(), "--cluster").configFile());
    }

    private static void assertRefused(String mentioned, Runnable resolving) {
        ConfigException refused = assertThrows(ConfigException.class, resolving::run);
        assertTrue(refused.getMessage().contains(mentioned),
                "message should mention " + mentioned + ": " + refused.getMessage());
    }
}
