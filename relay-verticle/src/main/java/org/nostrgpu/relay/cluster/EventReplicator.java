package org.nostrgpu.relay.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventIds;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.InvalidEventException;
import org.nostrgpu.common.event.KindClass;
import org.nostrgpu.relay.cluster.ReplicationMetrics.Outcome;
import org.nostrgpu.relay.live.EventFanOut;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.StoreOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives the events other relay nodes accepted and makes them this node's own: stored (idempotent by id) and
 * delivered to this node's live subscriptions when new; ephemeral events delivered only. Signatures are not
 * verified again: see the trust boundary in {@link org.nostrgpu.relay.cluster}.
 *
 * <p>Every node stores every event of the cluster, so this bounds the cluster's ingest: the events that arrive
 * together (one read of the bus connection delivers many) are handed to the store together
 * ({@link EventStore#storeAll}), one queue operation and one group commit for the burst.
 */
public final class EventReplicator {
    private static final Logger LOG = Logger.getLogger(EventReplicator.class.getName());

    private final EventBus bus;
    private final String nodeId;
    private final EventStore store;
    private final EventFanOut local;
    private final ReplicationMetrics metrics;
    private MessageConsumer<String> consumer;
    /** Received and not yet handed to the store; touched on the consumer's context only. */
    private List<Received> waiting = new ArrayList<>();

    /** @param local this node's own subscribers only (not the publishing fan-out, which would echo) */
    public EventReplicator(EventBus bus, String nodeId, EventStore store, EventFanOut local,
                           ReplicationMetrics metrics) {
        this.bus = bus;
        this.nodeId = nodeId;
        this.store = store;
        this.local = local;
        this.metrics = metrics;
    }

    /** Starts consuming; completes once the registration has reached the cluster. */
    public Future<Void> start() {
        consumer = bus.consumer(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, this::receive);
        return consumer.completion();
    }

    public Future<Void> stop() {
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    private void receive(Message<String> message) {
        if (nodeId.equals(message.headers().get(ClusterEventPublisher.ORIGIN_HEADER))) {
            return;
        }
        Event event;
        try {
            event = EventParser.parse(message.body());
        } catch (InvalidEventException | RuntimeException e) {
            dropCorrupt("not a valid event: " + e.getMessage());
            return;
        }
        if (!EventIds.hasValidId(event)) {
            dropCorrupt("id " + event.id() + " does not match its content");
            return;
        }
        if (event.kindClass() == KindClass.EPHEMERAL) {
            metrics.received(Outcome.EPHEMERAL);
            local.fanOut(event, message.body());
            return;
        }
        if (waiting.isEmpty()) {
            // after the messages already queued on this context, so they go to the store together
            Vertx.currentContext().runOnContext(v -> absorbWaiting());
        }
        waiting.add(new Received(event, message.body()));
    }

    /** Hands the events received since the last call to the store at once, then fans out those stored as new. */
    private void absorbWaiting() {
        List<Received> batch = waiting;
        waiting = new ArrayList<>();
        List<Event> events = new ArrayList<>(batch.size());
        batch.forEach(received -> events.add(received.event()));
        List<Future<StoreOutcome>> outcomes = store.storeAll(events);
        for (int i = 0; i < batch.size(); i++) {
            Received received = batch.get(i);
            outcomes.get(i).onComplete(stored -> {
                if (stored.failed()) {
                    metrics.received(Outcome.STORE_FAILED);
                    LOG.log(Level.WARNING, "could not store replicated event " + received.event().id(), stored.cause());
                } else if (stored.result().kind() == StoreOutcome.Kind.STORED) {
                    metrics.received(Outcome.STORED);
                    local.fanOut(received.event(), received.json());
                } else {
                    metrics.received(Outcome.KNOWN);
                }
            });
        }
    }

    /** A replicated event waiting for the store, with the JSON it arrived as (canonical, so fanned out as is). */
    private record Received(Event event, String json) {
    }

    private void dropCorrupt(String why) {
        metrics.received(Outcome.CORRUPT);
        LOG.warning("dropped an event replicated from another relay node: " + why);
    }
}
