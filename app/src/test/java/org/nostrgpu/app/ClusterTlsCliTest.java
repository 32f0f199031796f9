package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.cluster.ClusterTls;
import org.nostrgpu.common.config.ConfigException;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --cluster-tls options both subcommands share; the stores themselves are exercised by ClusterTlsTest. */
class ClusterTlsCliTest {
    @TempDir
    Path tmp;

    private static ClusterTls resolve(String subcommand, Map<String, String> env, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = subcommand;
        System.arraycopy(args, 0, full, 1, args.length);
        Object command = Main.commandLine().parseArgs(full).subcommand().commandSpec().userObject();
        ClusterTlsMixin mixin = command instanceof RelayCommand relay ? relay.clusterTls
                : ((WorkerCommand) command).clusterTls;
        return mixin.resolve(env);
    }

    @Test
    void withoutStoresTheEventBusHasNoTls() {
        assertFalse(resolve("relay", Map.of()).enabled());
        assertFalse(resolve("worker", Map.of("CLUSTER_TLS_PASSWORD", "x")).enabled());
    }

    @Test
    void storesComeFromOptionsOrTheEnvironmentAndThePasswordOnlyFromTheEnvironment() throws Exception {
        Path keys = Files.writeString(tmp.resolve("member.p12"), "");
        Path trust = Files.writeString(tmp.resolve("truststore.p12"), "");
        ClusterTls fromOptions = resolve("relay", Map.of("CLUSTER_TLS_PASSWORD", "secret"),
                "--cluster-tls-keystore", keys.toString(), "--cluster-tls-truststore", trust.toString());
        assertTrue(fromOptions.enabled());
        assertEquals(keys.toString(), fromOptions.keyStore());
        assertEquals("secret", fromOptions.password());
        ClusterTls fromEnv = resolve("worker", Map.of("CLUSTER_TLS_KEYSTORE", keys.toString(),
                "CLUSTER_TLS_TRUSTSTORE", trust.toString(), "CLUSTER_TLS_PASSWORD", "secret"));
        assertEquals(trust.toString(), fromEnv.trustStore());
    }

    @Test
    void incompleteSettingsAreRefusedNamingWhatIsMissing() throws Exception {
        Path keys = Files.writeString(tmp.resolve("member.p12"), "");
        Path trust = Files.writeString(tmp.resolve("truststore.p12"), "");
        assertTrue(assertThrows(ConfigException.class, () -> resolve("relay", Map.of("CLUSTER_TLS_PASSWORD", "s"),
                "--cluster-tls-keystore", keys.toString())).getMessage().contains("truststore"));
        assertTrue(assertThrows(ConfigException.class, () -> resolve("relay", Map.of(),
                "--cluster-tls-keystore", keys.toString(), "--cluster-tls-truststore", trust.toString()))
                .getMessage().contains("CLUSTER_TLS_PASSWORD"));
        assertTrue(assertThrows(ConfigException.class, () -> resolve("worker", Map.of("CLUSTER_TLS_PASSWORD", "s"),
                "--cluster-tls-keystore", tmp.resolve("absent.p12").toString(),
                "--cluster-tls-truststore", trust.toString())).getMessage().contains("absent.p12"));
    }

    @Test
    void theHelpNamesTheOptions() {
        String help = new CommandLine(new Main()).getSubcommands().get("relay").getUsageMessage();
        assertTrue(help.contains("--cluster-tls-keystore") && help.contains("--cluster-tls-truststore"), help);
    }
}
