package org.nostrgpu.bench.suite;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.RealisticCorpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark suite in one command: generates a realistic corpus, runs the scenarios (signature throughput per
 * backend and batch size; 25 and 50 publishing connections; fixed offered rates with the latency curve; REQ latency
 * per filter shape; N relays : 1 worker), samples the GPU meanwhile when there is one, and writes
 * {@code result.json} and a self-contained {@code report.html} (inline SVG charts) under {@code --out}.
 *
 * <pre>java -jar app/target/nostr-gpu-relay.jar bench [options]      (or bench/run.sh [options])</pre>
 * The relays and the worker it starts are processes of the same jar, on loopback, each given an explicit heap so
 * the CPU time read from /proc is the service's own.
 */
public final class BenchSuite {
    public static final String RESULT_FILE = "result.json";
    public static final String REPORT_FILE = "report.html";

    private BenchSuite() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the suite; 0 when every asked scenario ran, 1 when one failed (the others' results are still written). */
    public static int run(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(SuiteOptions.USAGE);
            return 0;
        }
        SuiteOptions options;
        try {
            options = SuiteOptions.parse(args, runningJar());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        JsonObject result = run(options);
        return result.getJsonArray("failures").isEmpty() ? 0 : 1;
    }

    static JsonObject run(SuiteOptions options) throws Exception {
        Files.createDirectories(options.out());
        long suiteStart = System.nanoTime();
        JsonObject result = new JsonObject().put("started", Instant.now().toString())
                .put("machine", Machine.describe()).put("options", describe(options));
        JsonArray timeline = new JsonArray();
        JsonArray failures = new JsonArray();
        result.put("timeline", timeline).put("failures", failures);
        Vertx vertx = Vertx.vertx();
        try (GpuMonitor gpu = GpuMonitor.start(suiteStart, options.gpuSampleMillis())) {
            Timed timed = new Timed(suiteStart, timeline, failures, result, options.out());
            if (options.runs("signatures")) {
                timed.run("signatures", () -> SignatureScenario.run(options));
            }
            int corpusSize = Math.max(options.singleRelayEvents(), options.relayStepEvents());
            List<String> corpus = List.of();
            if (corpusSize > options.warmupEvents()) {
                RealisticCorpus.Generated generated = RealisticCorpus.generate(
                        RealisticCorpus.Options.of(corpusSize, options.seed()));
                System.out.println(generated.describe());
                corpus = generated.json();
                result.put("corpus", new JsonObject().put("events", corpus.size()).put("seed", options.seed())
                        .put("byKind", byKind(generated.byKind()))
                        .put("badSignatures", generated.badSignatures()).put("badIds", generated.badIds())
                        .put("seconds", Math.round(generated.seconds() * 100) / 100.0)
                        .put("eventsPerSecond", Math.round(generated.eventsPerSecond())));
            }
            if (options.runs("connections") || options.runs("rates") || options.runs("req")) {
                singleRelay(vertx, options, corpus, timed, result);
            }
            if (options.runs("relays")) {
                List<String> events = corpus;
                timed.run("relays", () -> RelaysScenario.run(vertx, options, events));
            }
            gpu.close();
            result.put("gpu", gpu.toJson());
            result.getJsonObject("machine").put("gpu", gpu.gpuName());
        } finally {
            vertx.close().await();
        }
        result.put("seconds", Math.round((System.nanoTime() - suiteStart) / 1e8) / 10.0);
        Timed.write(result, options.out());
        System.out.println("results: " + options.out().resolve(RESULT_FILE).toAbsolutePath() + "\nreport:  "
                + options.out().resolve(REPORT_FILE).toAbsolutePath());
        return result;
    }

    /** The load scenarios against --url, or against a relay of the jar started here (default verification). */
    private static void singleRelay(Vertx vertx, SuiteOptions options, List<String> corpus, Timed timed,
                                    JsonObject result) throws Exception {
        ServiceProcess relay = null;
        String url = options.url();
        Map<String, Long> pids = new LinkedHashMap<>();
        try {
            if (url == null) {
                int port = ServiceProcess.freePort();
                relay = ServiceProcess.start("relay", options.jar(), options.serviceJvm(), List.of("relay", "--host", "127.0.0.1", "--port", Integer.toString(port),
                        "--data", options.work().resolve("relay").toString()),
                        options.out().resolve("logs"));
                relay.awaitHttp("http://127.0.0.1:" + port + "/", "application/nostr+json", Duration.ofSeconds(120));
                url = "ws://127.0.0.1:" + port + "/";
                pids.put("relay", relay.pid());
                result.put("target", new JsonObject().put("url", url).put("started", true)
                        .put("verification", "default (an embedded worker: CUDA when usable, else CPU)"));
            } else {
                if (options.relayPid() > 0) {
                    pids.put("relay", options.relayPid());
                }
                result.put("target", new JsonObject().put("url", url).put("started", false));
            }
            LoadScenarios load = new LoadScenarios(vertx, options, url, pids, corpus);
            timed.run("warm-up", load::warmUp);
            if (options.runs("connections")) {
                timed.run("connections", load::connections);
            }
            if (options.runs("rates")) {
                timed.run("rates", load::rates);
            }
            if (options.runs("req")) {
                timed.run("req", load::req);
            }
        } finally {
            if (relay != null) {
                relay.close();
            }
        }
    }

    private static JsonObject byKind(Map<Integer, Integer> counts) {
        JsonObject json = new JsonObject();
        counts.forEach((kind, count) -> json.put(kind.toString(), count));
        return json;
    }

    private static JsonObject describe(SuiteOptions options) {
        return new JsonObject().put("scenarios", List.copyOf(options.scenarios())).put("seed", options.seed())
                .put("warmupEvents", options.warmupEvents()).put("signatureBatches", options.signatureBatches())
                .put("oneThreadMaxBatch", options.oneThreadMaxBatch())
                .put("signatureSeconds", options.signatureSeconds())
                .put("signatureRepetitions", options.signatureRepetitions())
                .put("connections", options.connections()).put("connectionEvents", options.connectionEvents())
                .put("window", LoadScenarios.WINDOW).put("rates", options.rates())
                .put("rateSeconds", options.rateSeconds()).put("rateConnections", options.rateConnections())
                .put("reqQueries", options.reqQueries()).put("relays", options.relayCounts())
                .put("relayEvents", options.relayEvents()).put("relayConnections", options.relayConnections())
                .put("workerBackends", options.workerBackends()).put("serviceJvm", options.serviceJvm())
                .put("url", options.url());
    }

    /** The jar this class runs from, when it runs from one. */
    static Path runningJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return Path.of(classPath).toAbsolutePath();
        }
        return null;
    }

    /** Runs scenarios, recording when each ran (for the GPU chart) and any failure; rewrites the results after each. */
    private record Timed(long suiteStart, JsonArray timeline, JsonArray failures, JsonObject result, Path out) {
        interface Scenario {
            Object run() throws Exception;
        }

        void run(String name, Scenario scenario) throws Exception {
            double start = (System.nanoTime() - suiteStart) / 1e9;
            System.out.println("== " + name);
            try {
                Object value = scenario.run();
                result.put(name, value);
                if (value instanceof JsonObject json && json.getJsonArray("errors") != null) {
                    json.getJsonArray("errors").forEach(error ->
                            failures.add(new JsonObject().put("scenario", name).put("error", error)));
                }
            } catch (Exception | LinkageError e) {
                System.err.println("scenario " + name + " failed: " + e);
                e.printStackTrace();
                failures.add(new JsonObject().put("scenario", name).put("error", String.valueOf(e.getMessage())));
            }
            double end = (System.nanoTime() - suiteStart) / 1e9;
            timeline.add(new JsonObject().put("scenario", name).put("start", Math.round(start * 10) / 10.0)
                    .put("end", Math.round(end * 10) / 10.0));
            write(result, out);
        }

        static void write(JsonObject result, Path out) throws java.io.IOException {
            Files.writeString(out.resolve(RESULT_FILE), result.encodePrettily(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve(REPORT_FILE), HtmlReport.render(result), StandardCharsets.UTF_8);
        }
    }
}
