package org.nostrgpu.relay.connection;

import org.nostrgpu.common.config.Limits;
import org.nostrgpu.relay.ingest.EventIngester;
import org.nostrgpu.relay.live.SubscriptionRegistry;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.sync.NegentropyService;

import java.util.function.LongSupplier;

/**
 * What every connection on the node shares: the ingest stage, the store for REQ and COUNT, the live
 * subscription registry, the limits, the clock (unix seconds) used for created_at and expiration checks, the
 * meters of what clients do, and NIP-77 negentropy (null where a node offers none: NEG-* messages then get NEG-ERR).
 */
public record ConnectionServices(EventIngester ingester, EventStore store, SubscriptionRegistry registry,
                                 Limits limits, LongSupplier nowSeconds, ConnectionMetrics metrics,
                                 NegentropyService negentropy) {
}
