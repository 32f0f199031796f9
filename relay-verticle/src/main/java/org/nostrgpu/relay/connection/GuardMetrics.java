package org.nostrgpu.relay.connection;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.nostrgpu.common.metrics.RegisteredMeters;

/**
 * What the abuse limits did, as meters (Prometheus names after the arrow):
 * <ul>
 *   <li>{@code nostr.relay.connections.refused} → {@code nostr_relay_connections_refused_total}: TCP connections
 *       closed when accepted, their address being at its cap</li>
 *   <li>{@code nostr.relay.slow.readers.disconnected} → {@code nostr_relay_slow_readers_disconnected_total}</li>
 *   <li>{@code nostr.relay.rate.limited} → {@code nostr_relay_rate_limited_total}: EVENT, REQ and COUNT messages
 *       answered {@code rate-limited:}</li>
 *   <li>{@code nostr.relay.outbound.pending.highest} → {@code nostr_relay_outbound_pending_highest_bytes}: the most
 *       unsent output one connection has had</li>
 * </ul>
 */
public final class GuardMetrics {
    private GuardMetrics() {
    }

    /** Registers the meters; closing the result removes them. */
    public static RegisteredMeters register(MeterRegistry registry, ConnectionGuards guards) {
        RegisteredMeters meters = new RegisteredMeters(registry);
        meters.keep(FunctionCounter.builder("nostr.relay.connections.refused", guards,
                        ConnectionGuards::refusedConnections)
                .description("TCP connections closed when accepted because their address had too many")
                .register(registry));
        meters.keep(FunctionCounter.builder("nostr.relay.slow.readers.disconnected", guards,
                        ConnectionGuards::slowReadersDisconnected)
                .description("Connections disconnected because their unsent output passed the bound")
                .register(registry));
        meters.keep(FunctionCounter.builder("nostr.relay.rate.limited", guards, ConnectionGuards::rateLimited)
                .description("EVENT, REQ and COUNT messages answered rate-limited")
                .register(registry));
        meters.keep(Gauge.builder("nostr.relay.outbound.pending.highest", guards,
                        ConnectionGuards::highestPendingOutput)
                .description("The most unsent output one connection has had").baseUnit("bytes")
                .register(registry));
        return meters;
    }
}
