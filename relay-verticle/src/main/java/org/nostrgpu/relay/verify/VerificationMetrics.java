package org.nostrgpu.relay.verify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.nostrgpu.common.metrics.MeterTags;
import org.nostrgpu.common.metrics.RegisteredMeters;
import org.nostrgpu.common.verify.Verdict;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The relay's verification meters (Prometheus names after the arrow):
 * <ul>
 *   <li>{@code nostr.relay.verify.path} → {@code nostr_relay_verify_path{path,fallback,reason}}: 1, names the
 *       active path</li>
 *   <li>{@code nostr.relay.verify.verdicts} → {@code nostr_relay_verify_verdicts_total{path,outcome}}: final
 *       per-event answers; {@code path} is {@code worker} (decided by a worker), {@code cpu_fallback},
 *       {@code cpu_hedge} (a late request's event verified here first), {@code reject_fallback} (answered
 *       unavailable) or {@code local} (local mode)</li>
 *   <li>{@code nostr.relay.verify.fallbacks} → {@code nostr_relay_verify_fallbacks_total{cause}}: events a worker
 *       did not decide, by {@link FallbackCause}</li>
 *   <li>{@code nostr.relay.verify.request.size} → {@code nostr_relay_verify_request_size_events}: events per
 *       request to a worker (the relay-side batch size)</li>
 *   <li>{@code nostr.relay.verify.request.duration} → {@code nostr_relay_verify_request_duration_seconds}:
 *       request sent to reply (or failure) received</li>
 *   <li>{@code nostr.relay.verify.duration} → {@code nostr_relay_verify_duration_seconds}: one event's
 *       verification as the ingest stage sees it, queueing and fallback included</li>
 *   <li>{@code nostr.relay.verify.hedged} → {@code nostr_relay_verify_hedged_total}: events of late requests also
 *       handed to the local verifier</li>
 *   <li>{@code nostr.relay.verify.circuit.open} (1 while requests go straight to the fallback and probes run) and
 *       {@code nostr.relay.verify.deadline} (the deadline a request gets now, milliseconds)</li>
 *   <li>{@code nostr.relay.verify.queue.depth}, {@code nostr.relay.verify.requests.in.flight},
 *       {@code nostr.relay.verify.overloaded} (events refused because the queue was full)</li>
 * </ul>
 * {@link #close()} removes them again, so a restarted node in the same process registers fresh ones.
 */
public final class VerificationMetrics implements AutoCloseable {
    public static final String WORKER_PATH = "worker";
    public static final String CPU_FALLBACK_PATH = "cpu_fallback";
    public static final String REJECT_FALLBACK_PATH = "reject_fallback";
    public static final String CPU_HEDGE_PATH = "cpu_hedge";
    public static final String LOCAL_PATH = "local";

    private static final double[] SIZE_BUCKETS = {1, 4, 16, 64, 256, 1_024, 4_096, 16_384, 65_536};

    private final MeterRegistry registry;
    private final RegisteredMeters meters;
    private final Map<FallbackCause, Counter> fallbacks = new EnumMap<>(FallbackCause.class);
    private final Map<String, Map<Verdict, Counter>> verdicts = new HashMap<>();
    private final DistributionSummary requestSize;
    private final Timer requestDuration;
    private final Timer eventDuration;
    private final Counter hedged;

    public VerificationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.meters = new RegisteredMeters(registry);
        for (FallbackCause cause : FallbackCause.values()) {
            fallbacks.put(cause, meters.keep(Counter.builder("nostr.relay.verify.fallbacks")
                    .description("Events a verification worker did not decide, by cause")
                    .tag("cause", cause.tagValue())
                    .register(registry)));
        }
        for (String path : List.of(WORKER_PATH, CPU_FALLBACK_PATH, CPU_HEDGE_PATH, REJECT_FALLBACK_PATH, LOCAL_PATH)) {
            Map<Verdict, Counter> byOutcome = new EnumMap<>(Verdict.class);
            for (Verdict verdict : Verdict.values()) {
                byOutcome.put(verdict, meters.keep(Counter.builder("nostr.relay.verify.verdicts")
                        .description("Per-event verification answers, by the path that gave them")
                        .tags("path", path, "outcome", MeterTags.of(verdict))
                        .register(registry)));
            }
            verdicts.put(path, byOutcome);
        }
        requestSize = meters.keep(DistributionSummary.builder("nostr.relay.verify.request.size")
                .description("Events per verify request sent to a worker").baseUnit("events")
                .serviceLevelObjectives(SIZE_BUCKETS)
                .register(registry));
        requestDuration = meters.keep(Timer.builder("nostr.relay.verify.request.duration")
                .description("Verify request sent to reply or failure received")
                .publishPercentileHistogram()
                .register(registry));
        hedged = meters.keep(Counter.builder("nostr.relay.verify.hedged")
                .description("Events of late verify requests also handed to the local verifier")
                .register(registry));
        eventDuration = meters.keep(Timer.builder("nostr.relay.verify.duration")
                .description("One event's verification as ingest sees it, queueing and fallback included")
                .publishPercentileHistogram()
                .register(registry));
    }

    /** Names the active path: a gauge of 1 whose tags say which path, which fallback and why. */
    public void describePath(String path, String fallback, String reason) {
        meters.keep(Gauge.builder("nostr.relay.verify.path", () -> 1)
                .description("The active verification path (always 1; see the tags)")
                .tags("path", path, "fallback", fallback, "reason", reason)
                .register(registry));
    }

    /** Gauges and counters read from the batcher in front of the workers or the local verifier. */
    public <T> void watchQueue(T source, Supplier<Number> queued, Supplier<Number> inFlight,
                               ToDoubleFunction<T> overloaded) {
        meters.keep(Gauge.builder("nostr.relay.verify.queue.depth", queued)
                .description("Events waiting for a free verification slot").baseUnit("events").register(registry));
        meters.keep(Gauge.builder("nostr.relay.verify.requests.in.flight", inFlight)
                .description("Verification batches outstanding").register(registry));
        meters.keep(FunctionCounter.builder("nostr.relay.verify.overloaded", source, overloaded)
                .description("Events refused because the verification queue was full").register(registry));
    }

    /** Gauges of the circuit to the workers and of the current request deadline. */
    public void watchWorkers(Supplier<Number> circuitOpen, Supplier<Number> deadlineMillis) {
        meters.keep(Gauge.builder("nostr.relay.verify.circuit.open", circuitOpen)
                .description("1 while verify requests go straight to the fallback and probes check the workers")
                .register(registry));
        meters.keep(Gauge.builder("nostr.relay.verify.deadline", deadlineMillis)
                .description("The deadline a verify request gets now").baseUnit("milliseconds").register(registry));
    }

    void hedged(int events) {
        hedged.increment(events);
    }

    /** Events hedged so far. */
    public long hedgedEvents() {
        return (long) hedged.count();
    }

    void requestSent(int events) {
        requestSize.record(events);
    }

    void requestFinished(long nanos) {
        requestDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void fellBack(FallbackCause cause, int events) {
        fallbacks.get(cause).increment(events);
    }

    void answered(String path, Verdict verdict) {
        verdicts.get(path).get(verdict).increment();
    }

    void eventFinished(long nanos) {
        eventDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Events answered by {@code path} with {@code verdict} so far; for health output and tests. */
    public long count(String path, Verdict verdict) {
        return (long) verdicts.get(path).get(verdict).count();
    }

    /** Events handed to the fallback for {@code cause} so far. */
    public long fallbacks(FallbackCause cause) {
        return (long) fallbacks.get(cause).count();
    }

    @Override
    public void close() {
        meters.close();
    }
}
