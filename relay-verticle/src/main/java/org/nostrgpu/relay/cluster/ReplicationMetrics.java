package org.nostrgpu.relay.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.nostrgpu.common.metrics.MeterTags;
import org.nostrgpu.common.metrics.RegisteredMeters;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Replication meters: {@code nostr_relay_replication_published_total} (events this node published to the others)
 * and {@code nostr_relay_replication_received_total{outcome}} (events received from other nodes, by what became
 * of them).
 */
public final class ReplicationMetrics implements AutoCloseable {

    /** What became of an event received from another node. */
    public enum Outcome {
        /** Stored as new here and delivered to local subscribers. */
        STORED,
        /** Ephemeral: delivered to local subscribers, not stored. */
        EPHEMERAL,
        /** Already known here (stored, deleted or superseded): nothing more to do. */
        KNOWN,
        /** Not a valid event, or its id does not match: dropped. */
        CORRUPT,
        /** The store refused or failed: dropped, this node misses it. */
        STORE_FAILED
    }

    private final RegisteredMeters meters;
    private final Counter published;
    private final Map<Outcome, Counter> received = new EnumMap<>(Outcome.class);

    public ReplicationMetrics(MeterRegistry registry) {
        this.meters = new RegisteredMeters(registry);
        published = meters.keep(Counter.builder("nostr.relay.replication.published")
                .description("Accepted events this node published to the other relay nodes")
                .register(registry));
        for (Outcome outcome : Outcome.values()) {
            received.put(outcome, meters.keep(Counter.builder("nostr.relay.replication.received")
                    .description("Events received from other relay nodes, by what became of them")
                    .tag("outcome", MeterTags.of(outcome))
                    .register(registry)));
        }
    }

    void published() {
        published.increment();
    }

    void received(Outcome outcome) {
        received.get(outcome).increment();
    }

    public long receivedCount(Outcome outcome) {
        return (long) received.get(outcome).count();
    }

    public long publishedCount() {
        return (long) published.count();
    }

    @Override
    public void close() {
        meters.close();
    }
}
