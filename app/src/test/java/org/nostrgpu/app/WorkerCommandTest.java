package org.nostrgpu.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.WorkerConfig;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code worker} subcommand: help text, where settings come from, and a real standalone start. */
class WorkerCommandTest {
    @TempDir
    Path tmp;

    private static String help(String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(out));
        assertEquals(0, commandLine.execute(args), out.toString());
        // picocli wraps long descriptions: compare with the line breaks and indentation folded
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void topLevelHelpListsBothSubcommands() {
        String help = help("--help");
        assertTrue(help.contains("relay Run a relay node"), help);
        assertTrue(help.contains("worker Run a signature-verification worker"), help);
    }

    @Test
    void workerHelpDescribesEveryOption() {
        String help = help("worker", "--help");
        for (String expected : List.of("--config=FILE", "NOSTR_WORKER_CONFIG", "deploy/worker.example",
                "--backend=auto|cpu|cuda", "CUDA or refuse to start", "--cpu-threads=N", "--health-host=ADDRESS",
                "--health-port=PORT", "0 disables it", "SIGTERM", "SHUTTING_DOWN")) {
            assertTrue(help.contains(expected), "help should mention '" + expected + "':\n" + help);
        }
        assertClusterOptionsDescribed(help);
    }

    @Test
    void relayHelpDescribesTheClusterOptionsToo() {
        assertClusterOptionsDescribed(help("relay", "--help"));
    }

    static void assertClusterOptionsDescribed(String help) {
        for (String expected : List.of("--cluster ", "Implied by any other --cluster-* option", "CLUSTER=true",
                "--cluster-host=ADDRESS", "default 127.0.0.1", "CLUSTER_HOST", "--cluster-port=PORT", "default 5701",
                "CLUSTER_PORT", "--cluster-bus-port=PORT", "CLUSTER_BUS_PORT", "auto takes the address",
                "--cluster-members=HOST:PORT", "CLUSTER_MEMBERS", "--cluster-config=FILE",
                "CLUSTER_CONFIG")) {
            assertTrue(help.contains(expected), "help should mention '" + expected + "':\n" + help);
        }
    }

    @Test
    void optionsBeatTheFileWhichBeatsDefaults() throws Exception {
        Path file = tmp.resolve("worker.yaml");
        Files.writeString(file, "backend: cuda\ncpu-threads: 3\nhealth-host: \"127.0.0.1\"\nhealth-port: 7100\n"
                + "max-in-flight-batches: 3\n");
        WorkerConfig fromFile = WorkerConfigResolver.resolve(file, null, null, null, null);
        assertEquals("cuda", fromFile.backend());
        assertEquals(3, fromFile.cpuThreads());
        assertEquals(7100, fromFile.healthPort());

        WorkerConfig fromCli = WorkerConfigResolver.resolve(file, "CPU", 1, "127.0.0.2", 0);
        assertEquals("cpu", fromCli.backend());
        assertEquals(1, fromCli.cpuThreads());
        assertEquals("127.0.0.2", fromCli.healthHost());
        assertEquals(0, fromCli.healthPort());
        assertFalse(fromCli.healthServerEnabled());
        assertEquals(3, fromCli.maxInFlightBatches(), "keys without an option still come from the file");

        WorkerConfig defaults = WorkerConfigResolver.resolve(null, null, null, null, null);
        assertEquals(WorkerConfig.defaults(), defaults);
        assertEquals(6970, defaults.healthPort());
    }

    @Test
    void configFileComesFromTheOptionElseTheEnvironment() {
        Map<String, String> env = Map.of(WorkerConfigResolver.CONFIG_ENV, "/etc/nostr/worker.yaml");
        assertEquals(Path.of("/etc/nostr/worker.yaml"), WorkerConfigResolver.configFile(null, env));
        assertEquals(Path.of("w.yaml"), WorkerConfigResolver.configFile(Path.of("w.yaml"), env));
        assertNull(WorkerConfigResolver.configFile(null, Map.of()));
    }

    @Test
    void badSettingsStopTheCommandWithExitCode2AndAMessageNamingThem() throws Exception {
        assertRefused("--backend", "worker", "--backend", "opencl");
        assertRefused("--cpu-threads", "worker", "--cpu-threads", "0");
        assertRefused("health port", "worker", "--health-port", "70000");
        assertRefused("--cluster-port", "worker", "--cluster-port", "0");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "backend: opencl\n");
        assertRefused("backend", "worker", "--config", bad.toString());
        assertRefused("not found", "worker", "--config", tmp.resolve("absent.yaml").toString());
    }

    private static void assertRefused(String mentioned, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err));
        commandLine.setOut(new PrintWriter(new StringWriter()));
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        ((WorkerCommand) parsed.subcommand().commandSpec().userObject()).environment = Map.of();
        assertEquals(2, commandLine.getExecutionStrategy().execute(parsed), err.toString());
        assertTrue(err.toString().contains("error: ") && err.toString().contains(mentioned),
                "error should mention " + mentioned + ": " + err);
    }

    @Test
    void workerStartsAloneOnTheCpuAndAnswersHealth() throws Exception {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(
                "worker", "--backend", "cpu", "--cpu-threads", "1", "--health-host", "127.0.0.1",
                "--health-port", String.valueOf(FreePorts.next()));
        WorkerCommand command = (WorkerCommand) parsed.subcommand().commandSpec().userObject();
        command.environment = Map.of();
        RunningWorker worker = command.start();
        try {
            int port = worker.verticle().healthPort();
            assertTrue(port > 0);
            assertEquals("http://127.0.0.1:" + port + "/health", worker.healthUrl());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            JsonObject status = new JsonObject(health.body());
            assertEquals("UP", status.getString("status"));
            assertEquals("cpu(1 threads)", status.getString("backend"));
            assertEquals("backend cpu configured", status.getString("reason"));
            assertFalse(status.getBoolean("cuda"));
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("nostr_worker_verdicts"), metrics.body());
        } finally {
            worker.stop();
        }
    }
}
