package org.nostrgpu.bench.device;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.nostrgpu.bench.verify.BusLoad;
import org.nostrgpu.bench.verify.ProcessCpu;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.worker.VerificationWorkerVerticle;
import org.nostrgpu.worker.WorkerStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The worker verticle (the backend a worker would choose here, CPU threads for the batches below the crossover)
 * on the local event bus, as a relay embedding it uses it: requests of each size with enough of them in flight to
 * keep it busy; a "batch" above the largest request is that many events in flight as full requests. Every verdict
 * is checked against libsecp256k1's; the process's CPU time per verify comes from /proc.
 */
final class EventBusPart {
    /** Most events kept in flight: four GPU batches' worth. */
    static final int EVENTS_IN_FLIGHT = 262_144;
    private static final int MAX_REQUESTS_IN_FLIGHT = 1_024;

    static int run(DeviceCheckOptions options, PartResults results) throws Exception {
        List<DeviceCorpus> corpora = DeviceCorpus.load(options, results);
        Map<String, Double> kernelOnly = PartJson.kernelOnly(options.out());
        Vertx vertx = Vertx.vertx();
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
            VerificationWorkerVerticle worker = new VerificationWorkerVerticle(workerConfig(options), registry);
            vertx.deployVerticle(worker).await(120, TimeUnit.SECONDS);
            WorkerStatus status = worker.status();
            results.log("worker: " + status.backend() + " (" + status.reason() + "); routing "
                    + status.routing().encode());
            results.put("worker", status.toJson().getMap());
            // enough to keep every backend slot busy with full batches twice over, not more: a CPU worker would take
            // seconds to drain what a GPU worker needs in flight
            int eventsInFlight = Math.min(EVENTS_IN_FLIGHT, 2 * status.maxBatchSize() * status.maxInFlightBatches());
            PartResults.Table table = results.table("Event bus in one JVM (worker verticle, local bus): "
                            + status.backend(), "corpus", "request × in flight", "verifies/s", "÷ kernel-only",
                    "process CPU µs/verify", "mean backend batch", "non-OK", "not verified", "mismatches");
            corpora:
            for (DeviceCorpus corpus : corpora) {
                for (int size : options.batchSizes()) {
                    if (results.outOfTime()) {
                        results.log("out of time: the event bus stops before " + corpus.name() + " " + size);
                        break corpora;
                    }
                    int request = Math.min(size, VerifyProtocol.MAX_EVENTS_PER_REQUEST);
                    int inFlight = size > request ? size / request
                            : Math.max(2, Math.min(MAX_REQUESTS_IN_FLIGHT, eventsInFlight / request));
                    if (request > corpus.size() || (size > request && !status.cuda())) {
                        continue; // a CPU worker would take minutes to drain a million events in flight
                    }
                    List<BusLoad.Request> requests = BusLoad.requests(corpus.records(), corpus.reference(), request,
                            Math.max(inFlight, 8));
                    BusLoad.runAndWait(vertx, requests, inFlight, options.busSeconds()); // warm-up
                    WorkerStatus before = worker.status();
                    long cpuBefore = ProcessCpu.self();
                    double[] rates = new double[options.repetitions()];
                    long decided = 0;
                    long notOk = 0;
                    long undecided = 0;
                    long wrong = 0;
                    for (int r = 0; r < rates.length; r++) {
                        BusLoad.Totals totals = BusLoad.runAndWait(vertx, requests, inFlight, options.busSeconds());
                        rates[r] = totals.verifiesPerSecond();
                        decided += totals.decided();
                        notOk += totals.notOk();
                        undecided += totals.undecided();
                        wrong += totals.mismatches();
                    }
                    double cpuMicros = (ProcessCpu.self() - cpuBefore) / 1e3 / Math.max(1, decided);
                    WorkerStatus after = worker.status();
                    long batches = after.batches() - before.batches();
                    double meanBatch = batches == 0 ? 0 : (double) (after.eventsBatched() - before.eventsBatched())
                            / batches;
                    results.mismatches(wrong);
                    double median = Timings.median(rates);
                    results.log(PartResults.f("%s, requests of %d × %d in flight: %,.0f verifies/s", corpus.name(),
                            request, inFlight, median));
                    Double kernel = kernelOnly.get(ThroughputPart.key(corpus.name(), size));
                    table.row(corpus.name(), request + " × " + inFlight, PartResults.rate(median),
                            kernel == null ? "–" : PartResults.ratio(median, kernel), PartResults.f("%.2f", cpuMicros),
                            PartResults.f("%,.0f", meanBatch), notOk, undecided, wrong);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("corpus", corpus.name());
                    row.put("batch", size);
                    row.put("request", request);
                    row.put("inFlight", inFlight);
                    row.put("verifiesPerSecond", median);
                    row.put("ratioToKernelOnly", kernel == null ? null : median / kernel);
                    row.put("processCpuMicrosPerVerify", cpuMicros);
                    row.put("meanBackendBatch", meanBatch);
                    row.put("notOk", notOk);
                    row.put("mismatches", wrong);
                    rows.add(row);
                }
            }
            table.print();
            results.put("routingAfter", worker.status().routing().getMap());
        } finally {
            vertx.close().await(60, TimeUnit.SECONDS);
        }
        results.put("rows", rows);
        return 0;
    }

    /** The worker as the device check runs it: the configured CUDA tuning, a queue that holds every event sent. */
    static WorkerConfig workerConfig(DeviceCheckOptions options) {
        WorkerConfig config = WorkerConfig.defaults().withCpuThreads(options.threads()).withHealthPort(0)
                .withCudaKeyCacheEntries(options.keyCacheEntries()).withCrossoverRecheckSeconds(0)
                .withMaxInFlightBatches(options.workerInFlight())
                .withMaxQueuedEvents(Math.max(EVENTS_IN_FLIGHT * 4, 2 * options.batchSizes().get(
                        options.batchSizes().size() - 1)));
        return options.ptx() == null ? config : config.withPtxFile(options.ptx().toString());
    }

    private EventBusPart() {
    }
}
