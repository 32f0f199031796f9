package org.nostrgpu.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.metrics.MeterTags;
import org.nostrgpu.common.metrics.RegisteredMeters;
import org.nostrgpu.common.verify.Verdict;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The worker's meters (Prometheus names after the arrow):
 * <ul>
 *   <li>{@code nostr.worker.backend} → {@code nostr_worker_backend{backend,kind,reason}}: 1, names the backend in use</li>
 *   <li>{@code nostr.worker.batch.size} → {@code nostr_worker_batch_size_events}: signatures per backend call</li>
 *   <li>{@code nostr.worker.lane.batches} → {@code nostr_worker_lane_batches_total{lane=gpu|cpu}}: backend calls per
 *       lane (a GPU worker sends batches below the crossover to its CPU lane)</li>
 *   <li>{@code nostr.worker.batch.duration} → {@code nostr_worker_batch_duration_seconds}: one backend call</li>
 *   <li>{@code nostr.worker.request.duration} → {@code nostr_worker_request_duration_seconds{status}}: request
 *       received to reply sent, the verification latency a relay sees minus the event-bus hops</li>
 *   <li>{@code nostr.worker.verdicts} → {@code nostr_worker_verdicts_total{outcome=valid|invalid|not_verified}}</li>
 *   <li>{@code nostr.worker.replies} → {@code nostr_worker_replies_total{status=ok|overloaded|device_error|...}}</li>
 *   <li>{@code nostr.worker.queue.depth} → {@code nostr_worker_queue_depth_events}: signatures waiting</li>
 *   <li>{@code nostr.worker.batches.in.flight} → {@code nostr_worker_batches_in_flight}: backend calls running</li>
 * </ul>
 * Meters are removed again by {@link #close()}, so a redeployed worker registers fresh ones.
 */
final class WorkerMetrics implements AutoCloseable {
    private static final double[] BATCH_SIZE_BUCKETS = {1, 16, 64, 256, 1_024, 4_096, 16_384, 65_536, 262_144};

    private final RegisteredMeters meters;
    private final DistributionSummary batchSize;
    private final Timer batchDuration;
    private final Map<Verdict, Counter> verdicts = new EnumMap<>(Verdict.class);
    private final Map<String, Counter> laneBatches = new HashMap<>();
    private final Map<VerifyStatus, Counter> replies = new EnumMap<>(VerifyStatus.class);
    private final Map<VerifyStatus, Timer> requestDuration = new EnumMap<>(VerifyStatus.class);

    /** @param lanes names of the worker's lanes ("gpu", "cpu") */
    WorkerMetrics(MeterRegistry registry, String backend, boolean cuda, String reason, Collection<String> lanes,
                  Supplier<Number> queueDepth, Supplier<Number> inFlightBatches) {
        this.meters = new RegisteredMeters(registry);
        for (String lane : lanes) {
            laneBatches.put(lane, meters.keep(Counter.builder("nostr.worker.lane.batches")
                    .description("Backend calls per lane").tag("lane", lane).register(registry)));
        }
        meters.keep(Gauge.builder("nostr.worker.backend", () -> 1)
                .description("The signature verifier in use (always 1; see the tags)")
                .tags("backend", backend, "kind", cuda ? "cuda" : "cpu", "reason", reason)
                .register(registry));
        batchSize = meters.keep(DistributionSummary.builder("nostr.worker.batch.size")
                .description("Signatures per backend call").baseUnit("events")
                .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
                .register(registry));
        batchDuration = meters.keep(Timer.builder("nostr.worker.batch.duration")
                .description("Time of one backend call")
                .publishPercentileHistogram()
                .register(registry));
        for (Verdict verdict : Verdict.values()) {
            verdicts.put(verdict, meters.keep(Counter.builder("nostr.worker.verdicts")
                    .description("Per-event verdicts returned by the backend")
                    .tag("outcome", MeterTags.of(verdict))
                    .register(registry)));
        }
        for (VerifyStatus status : VerifyStatus.values()) {
            replies.put(status, meters.keep(Counter.builder("nostr.worker.replies")
                    .description("Verify replies sent, by status of the whole reply")
                    .tag("status", MeterTags.of(status))
                    .register(registry)));
            requestDuration.put(status, meters.keep(Timer.builder("nostr.worker.request.duration")
                    .description("Verify request received to reply sent")
                    .tag("status", MeterTags.of(status))
                    .publishPercentileHistogram()
                    .register(registry)));
        }
        meters.keep(Gauge.builder("nostr.worker.queue.depth", queueDepth).description("Signatures waiting for the backend")
                .baseUnit("events").register(registry));
        meters.keep(Gauge.builder("nostr.worker.batches.in.flight", inFlightBatches)
                .description("Backend calls running").register(registry));
    }

    /** @param verdictCounts the batch's verdicts counted by {@link Verdict#ordinal()}, or null when it failed */
    void batchFinished(String lane, int size, long nanos, long[] verdictCounts) {
        batchSize.record(size);
        batchDuration.record(nanos, TimeUnit.NANOSECONDS);
        laneBatches.get(lane).increment();
        if (verdictCounts == null) {
            return;
        }
        for (Verdict verdict : Verdict.values()) {
            if (verdictCounts[verdict.ordinal()] > 0) {
                verdicts.get(verdict).increment(verdictCounts[verdict.ordinal()]);
            }
        }
    }

    void replied(VerifyStatus status, long requestNanos) {
        replies.get(status).increment();
        requestDuration.get(status).record(requestNanos, TimeUnit.NANOSECONDS);
    }

    long replies(VerifyStatus status) {
        return (long) replies.get(status).count();
    }

    @Override
    public void close() {
        meters.close();
    }
}
