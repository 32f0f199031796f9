package org.nostrgpu.bench.suite;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.IngestLoad;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N relays : 1 worker. For each N, a fresh loopback Hazelcast cluster of one verification worker process and N
 * relay processes ({@code --verification cluster}, CPU fallback), each with an empty database; publishers spread
 * over the relays warm them up until every relay has had verdicts from the worker, then publish the measured events
 * (closed loop). Reported: aggregate accepted events/s, CPU per accepted event of every process (from /proc), and
 * the relays' verdicts by path (worker or the CPU fallback) during the measured run, so a run whose worker did not
 * serve every relay shows it.
 */
final class RelaysScenario {
    static final String VERDICTS = "nostr_relay_verify_verdicts_total";
    private static final Pattern SAMPLE = Pattern.compile("^" + VERDICTS + "\\{([^}]*)}\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern PATH = Pattern.compile("path=\"([^\"]*)\"");
    private static final Duration START_BOUND = Duration.ofSeconds(120);

    private RelaysScenario() {
    }

    static JsonObject run(Vertx vertx, SuiteOptions options, List<String> corpus) throws Exception {
        JsonArray steps = new JsonArray();
        JsonArray errors = new JsonArray();
        for (String backend : options.workerBackends()) {
            for (int relays : options.relayCounts()) {
                try {
                    steps.add(step(vertx, options, backend, relays, corpus));
                } catch (Exception e) {
                    // one step's failure (a CUDA worker that cannot start, say) must not lose the others
                    String error = relays + " relay(s) : 1 " + backend + " worker: " + e.getMessage();
                    System.err.println("relays: " + error);
                    errors.add(error);
                }
            }
        }
        return new JsonObject().put("workerBackends", options.workerBackends()).put("steps", steps)
                .put("errors", errors);
    }

    private static JsonObject step(Vertx vertx, SuiteOptions options, String backend, int relayCount,
                                   List<String> corpus) throws Exception {
        Path dir = options.work().resolve("relays-" + backend + "-" + relayCount);
        Files.createDirectories(dir);
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i <= relayCount; i++) {
            clusterPorts.add(ServiceProcess.freePort());
        }
        String members = String.join(",", clusterPorts.stream().map(port -> "127.0.0.1:" + port).toList());
        List<String> jvm = options.serviceJvm();
        List<ServiceProcess> started = new ArrayList<>();
        try {
            int healthPort = ServiceProcess.freePort();
            ServiceProcess worker = ServiceProcess.start("worker-" + backend + "-" + relayCount, options.jar(), jvm,
                    List.of("worker", "--backend", backend, "--health-host", "127.0.0.1",
                    "--health-port", Integer.toString(healthPort), "--cluster-host", "127.0.0.1",
                    "--cluster-port", Integer.toString(clusterPorts.get(0)), "--cluster-members", members),
                    options.out().resolve("logs"));
            started.add(worker);
            List<ServiceProcess> relays = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            for (int r = 1; r <= relayCount; r++) {
                int port = ServiceProcess.freePort();
                ServiceProcess relay = ServiceProcess.start("relay-" + r + "-of-" + relayCount + "-" + backend, options.jar(), jvm,
                        List.of("relay", "--host", "127.0.0.1", "--port", Integer.toString(port),
                                "--data", dir.resolve("relay-" + r).toString(), "--cluster",
                                "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(clusterPorts.get(r)),
                                "--cluster-members", members, "--verification", "cluster",
                                "--verification-fallback", "cpu"),
                        options.out().resolve("logs"));
                started.add(relay);
                relays.add(relay);
                ports.add(port);
            }
            worker.awaitHttp("http://127.0.0.1:" + healthPort + "/health", "application/json", START_BOUND);
            for (int r = 0; r < relayCount; r++) {
                relays.get(r).awaitHttp("http://127.0.0.1:" + ports.get(r) + "/", "application/nostr+json",
                        START_BOUND);
            }
            List<String> urls = ports.stream().map(port -> "ws://127.0.0.1:" + port + "/").toList();
            int connections = options.relayConnections() * relayCount;
            warmUntilTheWorkerServesEveryRelay(vertx, urls, ports, connections,
                    corpus.subList(0, options.warmupEvents()));

            Map<String, Long> pids = new LinkedHashMap<>();
            relays.forEach(relay -> pids.put(relay.name(), relay.pid()));
            pids.put(worker.name(), worker.pid());
            List<Map<String, Double>> verdictsBefore = ports.stream().map(RelaysScenario::verdictsByPath).toList();
            CpuMeter cpu = CpuMeter.start(pids);
            IngestLoad.Result result = IngestLoad.run(vertx, urls, connections, LoadScenarios.WINDOW, 600,
                    corpus.subList(options.warmupEvents(), options.warmupEvents() + options.relayEvents()));
            System.out.printf("relays: %d relay(s) : 1 worker (%s): %s%n", relayCount, backend,
                    result.describe().replace('\n', ' '));
            JsonObject step = LoadScenarios.summary(result, cpu).put("relays", relayCount)
                    .put("workerBackend", backend).put("worker", workerBackendOf(healthPort));
            Map<String, Double> byPath = new LinkedHashMap<>();
            for (int r = 0; r < relayCount; r++) {
                Map<String, Double> before = verdictsBefore.get(r);
                verdictsByPath(ports.get(r)).forEach((path, count) ->
                        byPath.merge(path, count - before.getOrDefault(path, 0.0), Double::sum));
            }
            JsonObject paths = new JsonObject();
            byPath.forEach((path, count) -> paths.put(path, Math.round(count)));
            return step.put("verdictsByPath", paths);
        } finally {
            for (ServiceProcess process : started) {
                process.close();
            }
        }
    }

    /**
     * Publishes the warm-up events in 20 slices, pausing between slices while some relay has had no verdict from
     * the worker yet (the cluster is forming, or the worker's consumer has not reached that relay), and fails when
     * the slices run out before the worker serves every relay: measuring the CPU fallback would mislead.
     */
    private static void warmUntilTheWorkerServesEveryRelay(Vertx vertx, List<String> urls, List<Integer> ports,
                                                           int connections, List<String> warmup) throws Exception {
        int slices = 20;
        int size = Math.max(1, (warmup.size() + slices - 1) / slices);
        for (int from = 0; from < warmup.size(); from += size) {
            IngestLoad.run(vertx, urls, connections, LoadScenarios.WINDOW, 300,
                    warmup.subList(from, Math.min(warmup.size(), from + size)));
            if (!everyRelayServed(ports)) {
                Thread.sleep(500);
            }
        }
        if (!everyRelayServed(ports)) {
            throw new IllegalStateException("the worker did not serve every relay during the warm-up of "
                    + warmup.size() + " events (verdicts by path: "
                    + ports.stream().map(RelaysScenario::verdictsByPath).toList() + "); see the logs");
        }
    }

    private static boolean everyRelayServed(List<Integer> ports) {
        return ports.stream().allMatch(port -> verdictsByPath(port).getOrDefault("worker", 0.0) > 0);
    }

    /** What the worker's /health says about its backend: which one, why, and the device. */
    private static JsonObject workerBackendOf(int healthPort) {
        String health = ServiceProcess.get("http://127.0.0.1:" + healthPort + "/health", "application/json");
        if (health == null) {
            return null;
        }
        JsonObject json = new JsonObject(health);
        return new JsonObject().put("backend", json.getValue("backend")).put("reason", json.getValue("reason"))
                .put("device", json.getValue("device"));
    }

    /** A relay's verification verdicts so far by path (worker, cpu fallback, ...), from its /metrics. */
    static Map<String, Double> verdictsByPath(int port) {
        String text = ServiceProcess.get("http://127.0.0.1:" + port + "/metrics", "text/plain");
        Map<String, Double> byPath = new LinkedHashMap<>();
        if (text == null) {
            return byPath;
        }
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            Matcher path = PATH.matcher(sample.group(1));
            byPath.merge(path.find() ? path.group(1) : "?", Double.parseDouble(sample.group(2)), Double::sum);
        }
        return byPath;
    }
}
