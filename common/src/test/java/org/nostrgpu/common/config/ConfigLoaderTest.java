package org.nostrgpu.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    /** Tests run in the module directory. */
    private static final Path EXAMPLE = Path.of("..", "deploy", "relay.example.yaml");

    @TempDir
    Path dir;

    @Test
    void anEmptyFileGivesTheDefaults() throws IOException {
        assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write("")));
        assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write("# only a comment\n")));
    }

    @Test
    void theDocumentedExampleIsExactlyTheDefaults() {
        assertTrue(Files.isRegularFile(EXAMPLE), "missing " + EXAMPLE.toAbsolutePath());
        assertEquals(ConfigLoader.defaults(), ConfigLoader.load(EXAMPLE));
    }

    @Test
    void theDocumentedExampleListsEveryKey() throws IOException {
        JsonNode example = new YAMLMapper().readTree(EXAMPLE.toFile());
        for (String key : ConfigLoader.knownKeys()) {
            JsonNode node = example;
            for (String part : key.split("\\.")) {
                node = node.path(part);
            }
            assertFalse(node.isMissingNode(), "deploy/relay.example.yaml does not list " + key);
        }
        assertTrue(ConfigLoader.knownKeys().contains("limits.max-tags"));
    }

    @Test
    void givenKeysOverrideAndAbsentKeysKeepTheirDefaults() throws IOException {
        RelayConfig config = ConfigLoader.load(write("""
                port: 7000
                data-dir: /var/lib/nostr
                limits:
                  max-tags: 50
                  max-past-seconds: 31536000
                info:
                  name: "my relay"
                  pubkey: "%s"
                verifier-threads: 3
                """.formatted("ab".repeat(32))));
        RelayConfig d = ConfigLoader.defaults();
        assertEquals(7000, config.port());
        assertEquals(d.host(), config.host());
        assertEquals("/var/lib/nostr", config.dataDir());
        assertEquals(50, config.limits().maxTags());
        assertEquals(31_536_000L, config.limits().maxPastSeconds());
        assertEquals(d.limits().maxMessageBytes(), config.limits().maxMessageBytes());
        assertEquals("my relay", config.info().name());
        assertEquals("ab".repeat(32), config.info().pubkey());
        assertEquals(d.info().description(), config.info().description());
        assertEquals(3, config.verifierThreads());
        assertEquals(d.verifyBatchSize(), config.verifyBatchSize());
    }

    @Test
    void theVerificationSectionSetsModeFallbackAndWorkerRequests() throws IOException {
        RelayConfig config = ConfigLoader.load(write("""
                verification:
                  mode: cluster
                  fallback: reject
                  timeout-ms: 250
                """));
        VerificationSettings d = VerificationSettings.defaults();
        assertEquals(VerificationSettings.Mode.CLUSTER, config.verification().mode());
        assertEquals(VerificationSettings.Fallback.REJECT, config.verification().fallback());
        assertEquals(250, config.verification().timeoutMs());
        assertEquals(d.maxInFlight(), config.verification().maxInFlight());
        assertEquals(VerificationSettings.Mode.AUTO, d.mode());
        assertEquals(VerificationSettings.Fallback.CPU, d.fallback());

        assertFails("verification:\n  mode: gpu\n", "verification.mode", "auto, embedded, cluster, local");
        assertFails("verification:\n  fallback: retry\n", "verification.fallback", "cpu, reject");
        assertFails("verification:\n  timeout-ms: 0\n", "verification.timeout-ms", "from 1");
        assertFails("verification:\n  max-in-flight: 0\n", "verification.max-in-flight", "from 1");
        assertFails("verification:\n  batch: 3\n", "unknown key verification.batch", "timeout-ms");
    }

    @Test
    void theAuthSectionIsReadAndItsRequirementsNeedItEnabled() throws IOException {
        RelayConfig config = ConfigLoader.load(write("""
                auth:
                  relay-url: "wss://relay.example.com"
                  required-for-writes: true
                """));
        assertTrue(config.auth().enabled());
        assertEquals("wss://relay.example.com", config.auth().relayUrl());
        assertTrue(config.auth().requiredForWrites());
        assertFalse(config.auth().requiredForReads());
        assertFails("auth:\n  enabled: false\n  required-for-reads: true\n", "auth.required-for-reads",
                "auth.enabled: true");
        assertFails("auth:\n  relay-url: \"https://relay.example.com\"\n", "auth.relay-url", "ws://");
        assertFails("auth:\n  enabled: yes please\n", "auth.enabled", "true or false");
    }

    @Test
    void theLimitsSectionHoldsTheAbuseLimitsToo() throws IOException {
        RelayConfig config = ConfigLoader.load(write("""
                limits:
                  max-tags: 50
                  max-connections-per-ip: 10
                  max-reqs-per-second-per-ip: 0
                  query-budget-ms: 250
                  negentropy-budget-ms: 30000
                """));
        assertEquals(50, config.limits().maxTags());
        assertEquals(10, config.abuse().maxConnectionsPerIp());
        assertTrue(config.abuse().reqsPerIp().unlimited());
        assertEquals(250, config.abuse().queryBudgetMillis());
        assertEquals(30_000, config.abuse().negentropyBudgetMillis());
        assertEquals(AbuseLimits.defaults().reqsPerConnection(), config.abuse().reqsPerConnection());
        assertFails("limits:\n  max-connections-per-ip: 0\n", "limits.max-connections-per-ip", "1 or more");
        assertFails("limits:\n  max-conections-per-ip: 3\n", "unknown key limits.max-conections-per-ip",
                "max-connections-per-ip");
    }

    @Test
    void theWritePolicyIsReadWithItsListsChecked() throws IOException {
        String pubkey = "ab".repeat(32);
        RelayConfig config = ConfigLoader.load(write("""
                write-policy:
                  min-pow-difficulty: 20
                  denied-pubkeys: ["%s"]
                  allowed-kinds: [0, 1, 3]
                """.formatted(pubkey)));
        assertEquals(20, config.writePolicy().minPowDifficulty());
        assertEquals(java.util.Set.of(pubkey), config.writePolicy().deniedPubkeys());
        assertEquals(java.util.Set.of(0, 1, 3), config.writePolicy().allowedKinds());
        assertTrue(config.writePolicy().allowedPubkeys().isEmpty());
        assertFails("write-policy:\n  denied-pubkeys: [\"npub1xyz\"]\n", "write-policy.denied-pubkeys", "64 lowercase hex");
        assertFails("write-policy:\n  allowed-kinds: [70000]\n", "write-policy.allowed-kinds", "70000");
        assertFails("write-policy:\n  allowed-kinds: 1\n", "write-policy.allowed-kinds", "list");
        assertFails("write-policy:\n  min-pow-difficulty: 300\n", "write-policy.min-pow-difficulty", "256");
    }

    @Test
    void withersKeepTheVerificationSettings() {
        VerificationSettings reject = VerificationSettings.defaults().withFallback(VerificationSettings.Fallback.REJECT);
        RelayConfig config = ConfigLoader.defaults().withVerification(reject)
                .withHost("127.0.0.1").withPort(7000).withDataDir("/tmp/x").withVerifierThreads(1);
        assertEquals(reject, config.verification());
    }

    @Test
    void autoMeansWhatThisMachineSuggests() throws IOException {
        RelayConfig config = ConfigLoader.load(write("verifier-threads: auto\nread-pool-size: auto\nevent-loops: auto\n"));
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, config.verifierThreads());
        assertEquals(Math.max(2, cores), config.readPoolSize());
        assertEquals(cores, config.eventLoops());
        assertFails("verifier-threads: many\n", "verifier-threads", "\"auto\"");
        assertFails("event-loops: 0\n", "event-loops", "from 1");
    }

    @Test
    void unknownKeysAreNamedWithTheKnownOnes() {
        assertFails("prot: 7000\n", "unknown key prot", "port");
        assertFails("limits:\n  max-tagz: 3\n", "unknown key limits.max-tagz", "max-tags");
        assertFails("info:\n  owner: me\n", "unknown key info.owner", "contact");
    }

    @Test
    void wrongTypesAreNamed() {
        assertFails("port: \"abc\"\n", "port", "whole number");
        assertFails("port: 6969.5\n", "port", "whole number");
        assertFails("limits: 5\n", "limits", "mapping");
        assertFails("limits:\n  max-tags: [1, 2]\n", "limits.max-tags", "a list");
        assertFails("info:\n  name: 42\n", "info.name", "text");
        assertFails("host: \"\"\n", "host", "empty");
        assertFails("port:\n", "port", "no value");
        assertFails("- a\n- b\n", "top level", "mapping");
    }

    @Test
    void negativeAndOutOfRangeNumbersAreNamed() {
        assertFails("limits:\n  max-tags: -1\n", "limits.max-tags", "-1");
        assertFails("limits:\n  max-future-seconds: -5\n", "limits.max-future-seconds", "-5");
        assertFails("limits:\n  max-message-bytes: 0\n", "limits.max-message-bytes", "1 or more");
        assertFails("limits:\n  max-content-bytes: 99999999999\n", "limits.max-content-bytes", "99999999999");
        assertFails("port: 70000\n", "port", "70000");
        assertFails("gc-interval-seconds: 0\n", "gc-interval-seconds", "1 or more");
    }

    @Test
    void theOperatorPubkeyMustBeHex() {
        assertFails("info:\n  pubkey: npub1xyz\n", "info.pubkey", "64 lowercase hex");
        assertFails("info:\n  pubkey: \"" + "AB".repeat(32) + "\"\n", "info.pubkey", "64 lowercase hex");
    }

    @Test
    void brokenYamlDuplicateKeysAndMissingFilesAreClear() throws IOException {
        assertFails("port: 1\nport: 2\n", "port");
        assertFails("limits: [unclosed\n", "not valid YAML");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("absent.yaml")));
        assertTrue(missing.getMessage().contains("not found") && missing.getMessage().contains("absent.yaml"),
                missing.getMessage());
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path file = write("port: x\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": port "), e.getMessage());
    }

    @Test
    void hostAndPortComeFromTheEnvironmentWhenSet() {
        RelayConfig d = ConfigLoader.defaults();
        RelayConfig config = d.withEnvironment(Map.of("HOST", "127.0.0.1", "PORT", "7447", "PATH", "/bin"));
        assertEquals("127.0.0.1", config.host());
        assertEquals(7447, config.port());
        assertEquals(d.dataDir(), config.dataDir());
        assertEquals(d.limits(), config.limits());

        assertSame(d, d.withEnvironment(Map.of()));
        assertEquals(d, d.withEnvironment(Map.of("HOST", " ", "PORT", "")), "blank variables count as unset");
        assertEquals(8080, d.withEnvironment(Map.of("PORT", " 8080 ")).port());
    }

    @Test
    void anInvalidPortVariableIsRefusedClearly() {
        for (String bad : new String[]{"http", "-1", "65536", "80.5"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.defaults().withEnvironment(Map.of("PORT", bad)));
            assertTrue(e.getMessage().contains("PORT environment variable") && e.getMessage().contains(bad),
                    e.getMessage());
        }
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "relay", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void assertFails(String yaml, String... fragments) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("test.yaml", new StringReader(yaml)));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + e.getMessage() + "\" should mention " + fragment);
        }
    }
}
