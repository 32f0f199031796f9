package org.nostrgpu.relay.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.nostrgpu.common.metrics.RegisteredMeters;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The store's group commits (Prometheus names after the arrow):
 * {@code nostr.relay.store.write.transaction.size} → {@code nostr_relay_store_write_transaction_size_events}
 * (events per write transaction) and {@code nostr.relay.store.write.transaction.duration} →
 * {@code nostr_relay_store_write_transaction_duration_seconds} (BEGIN to COMMIT done), both histograms.
 */
public final class StoreMetrics implements SqliteEventStore.WriteObserver, AutoCloseable {
    private static final double[] SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_024, 2_048, 4_096};
    private static final Duration[] DURATION_BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)};

    private final RegisteredMeters meters;
    private final DistributionSummary size;
    private final Timer duration;

    public StoreMetrics(MeterRegistry registry) {
        meters = new RegisteredMeters(registry);
        size = meters.keep(DistributionSummary.builder("nostr.relay.store.write.transaction.size")
                .description("Events per store write transaction (group commit)").baseUnit("events")
                .serviceLevelObjectives(SIZE_BUCKETS).register(registry));
        duration = meters.keep(Timer.builder("nostr.relay.store.write.transaction.duration")
                .description("One store write transaction, BEGIN to COMMIT done")
                .serviceLevelObjectives(DURATION_BUCKETS).register(registry));
    }

    @Override
    public void written(int events, long nanos) {
        size.record(events);
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        meters.close();
    }
}
