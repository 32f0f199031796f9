package org.nostrgpu.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerConfigLoaderTest {
    /** Tests run in the module directory. */
    private static final Path EXAMPLE = Path.of("..", "deploy", "worker.example.yaml");

    @Test
    void theDocumentedExampleIsExactlyTheDefaults() {
        assertTrue(Files.isRegularFile(EXAMPLE), "missing " + EXAMPLE.toAbsolutePath());
        assertEquals(WorkerConfig.defaults(), ConfigLoader.loadWorker(EXAMPLE));
        assertEquals(WorkerConfig.defaults(), parse(""));
    }

    @Test
    void theDocumentedExampleListsEveryKey() throws IOException {
        JsonNode example = new YAMLMapper().readTree(EXAMPLE.toFile());
        for (String key : ConfigLoader.knownWorkerKeys()) {
            JsonNode node = example;
            for (String part : key.split("\\.")) {
                node = node.path(part);
            }
            assertFalse(node.isMissingNode(), "deploy/worker.example.yaml does not list " + key);
        }
        assertTrue(ConfigLoader.knownWorkerKeys().contains("cuda.ptx-file"));
        assertTrue(ConfigLoader.knownWorkerKeys().contains("cuda.key-cache-entries"));
    }

    @Test
    void givenKeysOverrideAndAutoBatchSizeDependsOnTheBackend() {
        WorkerConfig config = parse("""
                backend: cpu
                cpu-threads: 3
                max-queued-events: 100000
                health-port: 0
                cuda:
                  device: 1
                  key-cache-entries: 1024
                  cpu-below-crossover: false
                  crossover-recheck-seconds: 0
                """);
        assertEquals(1024, config.cudaKeyCacheEntries());
        assertFalse(config.cpuBelowCrossover());
        assertEquals(0, config.crossoverRecheckSeconds());
        assertEquals(WorkerConfig.DEFAULT_KEY_CACHE_ENTRIES, WorkerConfig.defaults().cudaKeyCacheEntries());
        assertTrue(WorkerConfig.defaults().cpuBelowCrossover());
        assertEquals("cpu", config.backend());
        assertEquals(3, config.cpuThreads());
        assertEquals(100_000, config.maxQueuedEvents());
        assertFalse(config.healthServerEnabled());
        assertEquals(1, config.cudaDevice());
        assertEquals(WorkerConfig.defaults().maxInFlightBatches(), config.maxInFlightBatches());
        assertEquals(4_096, config.effectiveMaxBatchSize(false));
        assertEquals(65_536, config.effectiveMaxBatchSize(true));
        assertEquals(500, parse("max-batch-size: 500\n").effectiveMaxBatchSize(true));
        assertEquals(WorkerConfig.AUTO_BATCH_SIZE, parse("max-batch-size: auto\n").maxBatchSize());
    }

    @Test
    void badValuesAreNamed() {
        assertFails("backend: gpu\n", "backend", "auto, cpu, cuda");
        assertFails("max-batch-size: 0\n", "max-batch-size", "from 1");
        assertFails("max-in-flight-batches: 0\n", "max-in-flight-batches", "from 1 to 16");
        assertFails("max-queued-events: 1000\n", "max-queued-events", "from 65536");
        assertFails("health-port: 70000\n", "health-port", "70000");
        assertFails("cuda:\n  devic: 1\n", "unknown key cuda.devic", "device");
        assertFails("cuda:\n  key-cache-entries: 1000\n", "cuda.key-cache-entries", "power of two");
        assertFails("cuda:\n  key-cache-entries: -1\n", "cuda.key-cache-entries");
        assertFails("cuda:\n  cpu-below-crossover: maybe\n", "cuda.cpu-below-crossover", "true or false");
        assertFails("health-prot: 1\n", "unknown key health-prot", "health-port");
    }

    private static WorkerConfig parse(String yaml) {
        return ConfigLoader.parseWorker("test.yaml", new StringReader(yaml));
    }

    private static void assertFails(String yaml, String... expectedParts) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        for (String part : expectedParts) {
            assertTrue(e.getMessage().contains(part), "\"" + e.getMessage() + "\" should mention " + part);
        }
    }
}
