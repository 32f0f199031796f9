package org.nostrgpu.relay.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.metrics.RegisteredMeters;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the relay's clients do, as Prometheus series (names after the arrow):
 * <ul>
 *   <li>{@code nostr.relay.events.received} → {@code nostr_relay_events_received_total}: EVENT messages read</li>
 *   <li>{@code nostr.relay.events.accepted} → {@code nostr_relay_events_accepted_total}: {@code OK true ""}</li>
 *   <li>{@code nostr.relay.events.duplicate} → {@code nostr_relay_events_duplicate_total}:
 *       {@code OK true "duplicate: ..."}</li>
 *   <li>{@code nostr.relay.events.rejected} → {@code nostr_relay_events_rejected_total{prefix}}: {@code OK false},
 *       by the message's {@link AnswerPrefix} ({@code invalid}, {@code blocked}, {@code rate-limited}, ...)</li>
 *   <li>{@code nostr.relay.connections.open} → {@code nostr_relay_connections_open}</li>
 *   <li>{@code nostr.relay.subscriptions.open} → {@code nostr_relay_subscriptions_open}</li>
 *   <li>{@code nostr.relay.req} → {@code nostr_relay_req_total}: REQ messages accepted</li>
 *   <li>{@code nostr.relay.req.eose.duration} → {@code nostr_relay_req_eose_duration_seconds}: REQ read to EOSE
 *       written (histogram)</li>
 *   <li>{@code nostr.relay.live.events.sent} → {@code nostr_relay_live_events_sent_total}: live events written to
 *       subscribers (one per subscription an event matched)</li>
 * </ul>
 * Received = accepted + duplicate + rejected once every event has its OK.
 */
public final class ConnectionMetrics implements AutoCloseable {
    private static final Duration[] EOSE_BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final RegisteredMeters meters;
    private final Counter received;
    private final Counter accepted;
    private final Counter duplicate;
    private final Map<AnswerPrefix, Counter> rejected = new EnumMap<>(AnswerPrefix.class);
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter reqs;
    private final Timer reqToEose;
    private final Counter liveSent;

    /** @param openSubscriptions the live subscriptions of every connection now */
    public ConnectionMetrics(MeterRegistry registry, Supplier<Number> openSubscriptions) {
        meters = new RegisteredMeters(registry);
        received = meters.keep(Counter.builder("nostr.relay.events.received")
                .description("EVENT messages read from clients").register(registry));
        accepted = meters.keep(Counter.builder("nostr.relay.events.accepted")
                .description("Events accepted as new (OK true with an empty message)").register(registry));
        duplicate = meters.keep(Counter.builder("nostr.relay.events.duplicate")
                .description("Events answered OK true with the duplicate prefix").register(registry));
        for (AnswerPrefix prefix : AnswerPrefix.values()) {
            if (!prefix.okAccepted()) {
                rejected.put(prefix, meters.keep(Counter.builder("nostr.relay.events.rejected")
                        .description("Events answered OK false, by the message's prefix")
                        .tag("prefix", prefix.text()).register(registry)));
            }
        }
        meters.keep(Gauge.builder("nostr.relay.connections.open", connections, AtomicInteger::get)
                .description("Client WebSocket connections open").register(registry));
        meters.keep(Gauge.builder("nostr.relay.subscriptions.open", openSubscriptions)
                .description("Live subscriptions open, all connections together").register(registry));
        reqs = meters.keep(Counter.builder("nostr.relay.req")
                .description("REQ messages accepted").register(registry));
        reqToEose = meters.keep(Timer.builder("nostr.relay.req.eose.duration")
                .description("REQ read to its EOSE written: the stored-event query and its frames")
                .serviceLevelObjectives(EOSE_BUCKETS).register(registry));
        liveSent = meters.keep(Counter.builder("nostr.relay.live.events.sent")
                .description("Live events written to subscribers, one per matching subscription").register(registry));
    }

    void eventReceived() {
        received.increment();
    }

    /** Counts one OK by what it says. */
    void answered(boolean okAccepted, String message) {
        AnswerPrefix prefix = AnswerPrefix.of(message);
        if (okAccepted && prefix == null) {
            accepted.increment();
        } else if (prefix == AnswerPrefix.DUPLICATE) {
            duplicate.increment();
        } else {
            rejected.get(prefix == null || prefix.okAccepted() ? AnswerPrefix.ERROR : prefix).increment();
        }
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    void reqAccepted() {
        reqs.increment();
    }

    void eoseSent(long reqNanos) {
        reqToEose.record(System.nanoTime() - reqNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts live events written to subscribers: one live event's frames for several subscriptions at once. */
    void liveEventsSent(int frames) {
        liveSent.increment(frames);
    }

    @Override
    public void close() {
        meters.close();
    }
}
