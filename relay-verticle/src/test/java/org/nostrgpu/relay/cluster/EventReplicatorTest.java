package org.nostrgpu.relay.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.relay.cluster.ReplicationMetrics.Outcome;
import org.nostrgpu.relay.live.EventFanOut;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.StoreOutcome;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;
import org.nostrgpu.relay.store.StoredEvents;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publisher and replicator of two nodes sharing one (local) event bus: what each node does with the other's
 * accepted events, with a recording store and fan-out per node.
 */
class EventReplicatorTest {
    private final EventSigner author = EventSigner.random();
    private Vertx vertx;
    private Node a;
    private Node b;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = new Node("node-a");
        b = new Node("node-b");
        a.replicator.start().await(5, TimeUnit.SECONDS);
        b.replicator.start().await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void anEventAcceptedOnOneNodeIsStoredAndFannedOutOnTheOtherButNotTwiceOnItsOrigin() throws Exception {
        Event event = author.sign(1_700_000_000L, 1, List.of(), "replicate me");
        a.publisher.fanOut(event, event.toJson());

        assertEquals(event.id(), a.delivered.poll(5, TimeUnit.SECONDS), "the origin's own subscribers");
        assertEquals(event.id(), b.delivered.poll(5, TimeUnit.SECONDS), "the other node's subscribers");
        assertEquals(1, b.stored.size());
        assertNull(a.delivered.poll(200, TimeUnit.MILLISECONDS), "the origin ignores its own publication");
        assertEquals(0, a.stored.size());
        assertEquals(1, b.metrics.receivedCount(Outcome.STORED));
        assertEquals(1, a.metrics.publishedCount());
    }

    @Test
    void anEventTheOtherNodeAlreadyHasIsNotFannedOutAgain() throws Exception {
        Event event = author.sign(1_700_000_000L, 1, List.of(), "already there");
        b.stored.put(event.id(), event);
        a.publisher.fanOut(event, event.toJson());
        a.delivered.poll(5, TimeUnit.SECONDS);
        waitFor(() -> b.metrics.receivedCount(Outcome.KNOWN) == 1);
        assertNull(b.delivered.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void ephemeralEventsAreFannedOutAndNeverStored() throws Exception {
        Event event = author.sign(1_700_000_000L, 20_000, List.of(), "ephemeral");
        a.publisher.fanOut(event, event.toJson());
        assertEquals(event.id(), b.delivered.poll(5, TimeUnit.SECONDS));
        assertEquals(0, b.stored.size());
        assertEquals(1, b.metrics.receivedCount(Outcome.EPHEMERAL));
    }

    @Test
    void aCorruptedOrForgedMessageIsDroppedAndCounted() throws Exception {
        Event event = author.sign(1_700_000_000L, 1, List.of(), "original");
        String tampered = event.toJson().replace("original", "tampered");
        DeliveryOptions fromElsewhere = new DeliveryOptions().addHeader(ClusterEventPublisher.ORIGIN_HEADER, "node-x");
        vertx.eventBus().publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, tampered, fromElsewhere);
        vertx.eventBus().publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, "{not json", fromElsewhere);
        waitFor(() -> b.metrics.receivedCount(Outcome.CORRUPT) == 2);
        assertEquals(0, b.stored.size());
        assertNull(b.delivered.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aBurstOfReplicatedEventsGoesToTheStoreTogetherAndIntoOneGroupCommit(@TempDir Path dir) throws Exception {
        List<Event> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(author.sign(1_700_000_000L + i, 1, List.of(List.of("t", "burst")), "burst " + i));
        }
        SqliteEventStore store = SqliteEventStore.open(vertx, StoreOptions.forFile(dir.resolve("c.sqlite3"), 1, 1000))
                .await(5, TimeUnit.SECONDS);
        ReplicationMetrics metrics = new ReplicationMetrics(PrometheusMetrics.newRegistry());
        EventReplicator c = new EventReplicator(vertx.eventBus(), "node-c", store, (event, json) -> { }, metrics);
        c.start().await(5, TimeUnit.SECONDS);
        long transactionsBefore = store.writeTransactions();

        // published in one go, as a peer's bus connection delivers them
        vertx.runOnContext(v -> burst.forEach(event -> a.publisher.fanOut(event, event.toJson())));
        waitFor(() -> metrics.receivedCount(Outcome.STORED) == burst.size());
        assertEquals(burst.size(), b.stored.size());
        assertTrue(b.batches.size() < burst.size() / 10, "handed over in bursts: " + b.batches);
        assertEquals(1, store.writeTransactions() - transactionsBefore, "one group commit for the burst");
        assertEquals(burst.size(), store.count(List.of(Filter.all()), 1_800_000_000L).await(5, TimeUnit.SECONDS));
        c.stop().await(5, TimeUnit.SECONDS);
        store.close().await(5, TimeUnit.SECONDS);
    }

    private final class Node {
        final ConcurrentHashMap<String, Event> stored = new ConcurrentHashMap<>();
        final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final ReplicationMetrics metrics = new ReplicationMetrics(PrometheusMetrics.newRegistry());
        final ClusterEventPublisher publisher;
        final EventReplicator replicator;

        Node(String id) {
            EventFanOut local = (event, json) -> delivered.add(event.id());
            publisher = new ClusterEventPublisher(local, vertx.eventBus(), id, metrics);
            replicator = new EventReplicator(vertx.eventBus(), id, new RecordingStore(stored, batches), local, metrics);
        }
    }

    /** Stores by id: a second store of the same id is a duplicate; records the sizes of {@link #storeAll} calls. */
    private record RecordingStore(ConcurrentHashMap<String, Event> stored, List<Integer> batches) implements EventStore {
        @Override
        public List<Future<StoreOutcome>> storeAll(List<Event> events) {
            batches.add(events.size());
            return EventStore.super.storeAll(events);
        }

        @Override
        public Future<Boolean> isKnown(String id) {
            return Future.succeededFuture(stored.containsKey(id));
        }

        @Override
        public Future<StoreOutcome> store(Event event) {
            return Future.succeededFuture(stored.putIfAbsent(event.id(), event) == null
                    ? StoreOutcome.STORED : StoreOutcome.DUPLICATE);
        }

        @Override
        public Future<StoredEvents> queryEvents(List<Filter> filters, int maxLimit, long nowSeconds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Long> count(List<Filter> filters, long nowSeconds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<ItemSet> negentropyItems(Filter filter, long nowSeconds, int maxItems, long budgetMillis) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Integer> removeExpired(long nowSeconds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
