package org.nostrgpu.relay.cluster;

import io.vertx.core.Future;
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

import java.lang.System.Logger.Level;

/**
 * Receives the events other relay nodes accepted and makes them this node's own: stored (idempotent by id) and
 * delivered to this node's live subscriptions when new; ephemeral events delivered only. Signatures are not
 * verified again: see the trust boundary in {@link org.nostrgpu.relay.cluster}.
 */
public final class EventReplicator {
    private static final System.Logger LOG = System.getLogger(EventReplicator.class.getName());

    private final EventBus bus;
    private final String nodeId;
    private final EventStore store;
    private final EventFanOut local;
    private final ReplicationMetrics metrics;
    private MessageConsumer<String> consumer;

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
        accept(message.body());
    }

    /**
     * Makes one event another node sent (canonical JSON) this node's own, as for a live replicated one; completes
     * with what became of it. Also used by the catch-up, whose events come from cluster members too.
     */
    Future<Outcome> accept(String eventJson) {
        Event event;
        try {
            event = EventParser.parse(eventJson);
        } catch (InvalidEventException | RuntimeException e) {
            dropCorrupt("not a valid event: " + e.getMessage());
            return Future.succeededFuture(Outcome.CORRUPT);
        }
        if (!EventIds.hasValidId(event)) {
            dropCorrupt("id " + event.id() + " does not match its content");
            return Future.succeededFuture(Outcome.CORRUPT);
        }
        if (event.kindClass() == KindClass.EPHEMERAL) {
            metrics.received(Outcome.EPHEMERAL);
            local.fanOut(event, eventJson);
            return Future.succeededFuture(Outcome.EPHEMERAL);
        }
        return store.store(event).transform(stored -> {
            Outcome outcome;
            if (stored.failed()) {
                outcome = Outcome.STORE_FAILED;
                LOG.log(Level.WARNING, "could not store replicated event " + event.id(), stored.cause());
            } else if (stored.result() == StoreOutcome.STORED) {
                outcome = Outcome.STORED;
                local.fanOut(event, eventJson);
            } else {
                outcome = Outcome.KNOWN;
            }
            metrics.received(outcome);
            return Future.succeededFuture(outcome);
        });
    }

    private void dropCorrupt(String why) {
        metrics.received(Outcome.CORRUPT);
        LOG.log(Level.WARNING, "dropped an event replicated from another relay node: " + why);
    }
}
