package org.nostrgpu.relay.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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
    private static final System.Logger LOG = System.getLogger(EventReplicator.class.getName());
    /** Live replicated events: nobody waits for their outcome (the metrics count it). */
    private static final Consumer<Outcome> UNANSWERED = outcome -> { };

    private final EventBus bus;
    private final String nodeId;
    private final EventStore store;
    private final EventFanOut local;
    private final ReplicationMetrics metrics;
    private MessageConsumer<String> consumer;
    /**
     * Received and not yet handed to the store. Live events arrive on the consumer's context, the catch-up's on its
     * own, hence the lock.
     */
    private final Object waitingLock = new Object();
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
        take(message.body(), UNANSWERED);
    }

    /**
     * Makes one event another node sent (canonical JSON) this node's own, as for a live replicated one; completes
     * with what became of it, on the caller's context (the store answers on its own thread). Also used by the
     * catch-up, whose events come from cluster members too: the events it hands over together are stored together.
     */
    Future<Outcome> accept(String eventJson) {
        Promise<Outcome> outcome = Promise.promise();
        Context caller = Vertx.currentContext();
        take(eventJson, caller == null ? outcome::complete
                : result -> caller.runOnContext(v -> outcome.complete(result)));
        return outcome.future();
    }

    private void take(String eventJson, Consumer<Outcome> then) {
        Event event;
        try {
            event = EventParser.parse(eventJson);
        } catch (InvalidEventException | RuntimeException e) {
            dropCorrupt("not a valid event: " + e.getMessage());
            then.accept(Outcome.CORRUPT);
            return;
        }
        if (!EventIds.hasValidId(event)) {
            dropCorrupt("id " + event.id() + " does not match its content");
            then.accept(Outcome.CORRUPT);
            return;
        }
        if (event.kindClass() == KindClass.EPHEMERAL) {
            metrics.received(Outcome.EPHEMERAL);
            local.fanOut(event, eventJson);
            then.accept(Outcome.EPHEMERAL);
            return;
        }
        boolean first;
        synchronized (waitingLock) {
            first = waiting.isEmpty();
            waiting.add(new Received(event, eventJson, then));
        }
        if (!first) {
            return;
        }
        Context context = Vertx.currentContext();
        if (context == null) {
            absorbWaiting();
        } else {
            // after the messages already queued on this context, so they go to the store together
            context.runOnContext(v -> absorbWaiting());
        }
    }

    /** Hands the events received since the last call to the store at once, then fans out those stored as new. */
    private void absorbWaiting() {
        List<Received> batch;
        synchronized (waitingLock) {
            batch = waiting;
            waiting = new ArrayList<>();
        }
        List<Event> events = new ArrayList<>(batch.size());
        batch.forEach(received -> events.add(received.event()));
        List<Future<StoreOutcome>> outcomes = store.storeAll(events);
        for (int i = 0; i < batch.size(); i++) {
            Received received = batch.get(i);
            outcomes.get(i).onComplete(stored -> {
                Outcome outcome;
                if (stored.failed()) {
                    outcome = Outcome.STORE_FAILED;
                    LOG.log(Level.WARNING, "could not store replicated event " + received.event().id(), stored.cause());
                } else if (stored.result() == StoreOutcome.STORED) {
                    outcome = Outcome.STORED;
                    local.fanOut(received.event(), received.json());
                } else {
                    outcome = Outcome.KNOWN;
                }
                metrics.received(outcome);
                received.then().accept(outcome);
            });
        }
    }

    /**
     * A replicated event waiting for the store, with the JSON it arrived as (canonical, so fanned out as is) and who
     * is told what became of it.
     */
    private record Received(Event event, String json, Consumer<Outcome> then) {
    }

    private void dropCorrupt(String why) {
        metrics.received(Outcome.CORRUPT);
        LOG.log(Level.WARNING, "dropped an event replicated from another relay node: " + why);
    }
}
