package org.nostrgpu.bench.device;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.verify.BusLoad;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hybrid policy on this machine: the crossover the worker measured at start (and its probe), the round trip of
 * single events one at a time through a hybrid, a GPU-only and a CPU-only worker (the hybrid one should be as fast
 * as the CPU), and throughput under high load through the hybrid and the GPU-only worker (the hybrid one should
 * lose nothing).
 */
final class HybridPart {
    private static final int HIGH_LOAD_REQUEST = 1_024;
    private static final int HIGH_LOAD_IN_FLIGHT = 256;
    private static final int LATENCY_WARMUP = 300;

    private record Mode(String name, WorkerConfig config) {
    }

    static int run(DeviceCheckOptions options, PartResults results) throws Exception {
        DeviceCorpus corpus = DeviceCorpus.load(options, results).get(1);
        WorkerConfig base = EventBusPart.workerConfig(options);
        List<Mode> modes = new ArrayList<>();
        if (results.machine().hasGpu()) {
            modes.add(new Mode("hybrid", base.withBackend("cuda").withCpuBelowCrossover(true)));
            modes.add(new Mode("GPU only", base.withBackend("cuda").withCpuBelowCrossover(false)));
        } else {
            results.log("CUDA unavailable (" + results.machine().noGpu() + "): only the CPU-only worker is measured");
        }
        modes.add(new Mode("CPU only", base.withBackend("cpu")));

        List<BusLoad.Request> singles = BusLoad.requests(corpus.records(), corpus.reference(), 1,
                Math.min(corpus.size(), 4_096));
        int highRequest = Math.min(HIGH_LOAD_REQUEST, corpus.size());
        List<BusLoad.Request> heavy = BusLoad.requests(corpus.records(), corpus.reference(), highRequest,
                HIGH_LOAD_IN_FLIGHT);
        PartResults.Table latency = results.table("Single events one at a time through the worker (local bus,"
                + " round trip)", "worker", "backend for 1 event", "p50 µs", "p99 µs", "p50 ÷ CPU only");
        PartResults.Table load = results.table("High load through the worker (requests of " + highRequest + ", "
                        + HIGH_LOAD_IN_FLIGHT + " in flight)", "worker", "verifies/s", "÷ GPU only", "batches CPU lane",
                "batches GPU lane", "mismatches");
        Map<String, double[]> latencies = new LinkedHashMap<>();
        Map<String, Double> throughput = new LinkedHashMap<>();
        List<String[]> latencyRows = new ArrayList<>();
        List<Object[]> loadRows = new ArrayList<>();
        for (Mode mode : modes) {
            if (results.outOfTime()) {
                results.log("out of time: skipping the " + mode.name() + " worker");
                continue;
            }
            Vertx vertx = Vertx.vertx();
            try {
                VerificationWorkerVerticle worker = new VerificationWorkerVerticle(mode.config(),
                        PrometheusMetrics.newRegistry());
                vertx.deployVerticle(worker).await(120, TimeUnit.SECONDS);
                JsonObject routing = worker.status().routing();
                results.log(mode.name() + " worker: " + worker.status().backend() + "; routing " + routing.encode());
                if (mode.name().equals("hybrid")) {
                    crossover(routing, results);
                }
                long[] nanos = BusLoad.roundTrips(vertx, singles, LATENCY_WARMUP, options.latencySamples());
                double p50 = BusLoad.percentileMicros(nanos, 50);
                double p99 = BusLoad.percentileMicros(nanos, 99);
                latencies.put(mode.name(), new double[]{p50, p99});
                String oneEvent = routing.getJsonObject("batchSizes").fieldNames().stream()
                        .filter(range -> range.startsWith("1.."))
                        .map(range -> routing.getJsonObject("batchSizes").getString(range)).findFirst().orElse("?");
                latencyRows.add(new String[]{mode.name(), oneEvent, PartResults.f("%.1f", p50),
                        PartResults.f("%.1f", p99)});
                if (!mode.name().equals("CPU only")) {
                    JsonObject lanesBefore = worker.status().routing().getJsonObject("lanes");
                    BusLoad.runAndWait(vertx, heavy, HIGH_LOAD_IN_FLIGHT, options.busSeconds()); // warm-up
                    double[] rates = new double[options.repetitions()];
                    long wrong = 0;
                    for (int r = 0; r < rates.length; r++) {
                        BusLoad.Totals totals = BusLoad.runAndWait(vertx, heavy, HIGH_LOAD_IN_FLIGHT,
                                2 * options.busSeconds());
                        rates[r] = totals.verifiesPerSecond();
                        wrong += totals.mismatches();
                    }
                    results.mismatches(wrong);
                    JsonObject lanes = worker.status().routing().getJsonObject("lanes");
                    double median = Timings.median(rates);
                    throughput.put(mode.name(), median);
                    loadRows.add(new Object[]{mode.name(), median, laneBatches(lanes, lanesBefore, "cpu"),
                            laneBatches(lanes, lanesBefore, "gpu"), wrong});
                }
            } finally {
                vertx.close().await(60, TimeUnit.SECONDS);
            }
        }
        double cpuP50 = latencies.containsKey("CPU only") ? latencies.get("CPU only")[0] : 0;
        for (String[] row : latencyRows) {
            latency.row(row[0], row[1], row[2], row[3], PartResults.ratio(Double.parseDouble(row[2]), cpuP50));
        }
        latency.print();
        Double gpuOnly = throughput.get("GPU only");
        for (Object[] row : loadRows) {
            load.row(row[0], PartResults.rate((double) row[1]), gpuOnly == null ? "–" : PartResults.ratio((double) row[1],
                    gpuOnly), row[2], row[3], row[4]);
        }
        if (!load.isEmpty()) {
            load.print();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        latencies.forEach((mode, values) -> json.put(mode, Map.of("p50Micros", values[0], "p99Micros", values[1],
                "highLoadVerifiesPerSecond", throughput.getOrDefault(mode, 0.0))));
        results.put("workers", json);
        return 0;
    }

    private static void crossover(JsonObject routing, PartResults results) {
        PartResults.Table probe = results.table("Crossover measured by the hybrid worker at start: "
                + routing.getInteger("crossover") + " (" + routing.getString("note") + ")", "batch", "CPU µs",
                "GPU µs", "faster");
        routing.getJsonArray("probe").forEach(point -> {
            JsonObject p = (JsonObject) point;
            probe.row(p.getInteger("batch"), p.getDouble("cpuMicros"), p.getDouble("gpuMicros"),
                    p.getDouble("gpuMicros") < p.getDouble("cpuMicros") ? "GPU" : "CPU");
        });
        probe.print();
        results.put("crossover", routing.getMap());
    }

    private static long laneBatches(JsonObject lanes, JsonObject before, String lane) {
        JsonObject now = lanes.getJsonObject(lane);
        if (now == null) {
            return 0;
        }
        JsonObject then = before.getJsonObject(lane);
        return now.getLong("batches") - (then == null ? 0 : then.getLong("batches"));
    }

    private HybridPart() {
    }
}
