package org.nostrgpu.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.nostrgpu.common.bus.NodeStats;
import org.nostrgpu.common.inspect.MeterReader;
import org.nostrgpu.common.inspect.StatsResponder;
import org.nostrgpu.common.inspect.StatsSection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A worker's part of a stats reply: its {@link WorkerStatus} (backend and why, queue, batches in flight) and its
 * meters (verdicts, replies, batch sizes and durations). The names are the ones {@code inspect --help} documents.
 */
final class WorkerStatsSource implements Supplier<StatsSection> {
    private final Supplier<WorkerStatus> status;
    private final MeterReader meters;

    private WorkerStatsSource(Supplier<WorkerStatus> status, MeterRegistry registry) {
        this.status = status;
        this.meters = new MeterReader(registry);
    }

    /** Starts answering stats requests for the worker; close the responder when the worker stops. */
    static StatsResponder answer(Vertx vertx, Supplier<WorkerStatus> status, MeterRegistry registry) {
        StatsResponder responder = StatsResponder.forWorker(vertx, new WorkerStatsSource(status, registry));
        responder.start();
        return responder;
    }

    @Override
    public StatsSection get() {
        WorkerStatus now = status.get();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("status", now.status());
        info.put("backend", now.backend());
        info.put("backend.kind", now.cuda() ? "cuda" : "cpu");
        info.put("backend.reason", now.reason());
        if (now.device() != null) {
            info.put("device", now.device());
        }
        Map<String, Double> counters = new LinkedHashMap<>();
        counters.put("batches", (double) now.batches());
        counters.put("events.batched", (double) now.eventsBatched());
        counters.put("events.refused", (double) now.eventsRefused());
        meters.countsBy("nostr.worker.verdicts", "outcome").forEach((outcome, n) -> counters.put("verdicts." + outcome, n));
        meters.countsBy("nostr.worker.replies", "status").forEach((reply, n) -> counters.put("replies." + reply, n));
        Map<String, Double> gauges = new LinkedHashMap<>();
        gauges.put("queue.depth", (double) now.queueDepth());
        gauges.put("batches.in.flight", (double) now.inFlightBatches());
        gauges.put("requests.pending", (double) now.pendingRequests());
        gauges.put("max.batch.size", (double) now.maxBatchSize());
        gauges.put("max.in.flight.batches", (double) now.maxInFlightBatches());
        gauges.put("max.queued.events", (double) now.maxQueuedEvents());
        Map<String, NodeStats.Histogram> histograms = new LinkedHashMap<>();
        put(histograms, "batch.size", meters.summary("nostr.worker.batch.size"));
        put(histograms, "batch.duration", meters.timer("nostr.worker.batch.duration"));
        put(histograms, "request.duration", meters.timer("nostr.worker.request.duration"));
        return new StatsSection(info, counters, gauges, histograms);
    }

    private static void put(Map<String, NodeStats.Histogram> histograms, String name, NodeStats.Histogram histogram) {
        if (histogram != null) {
            histograms.put(name, histogram);
        }
    }
}
