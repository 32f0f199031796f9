package org.nostrgpu.relay.connection;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.AuthSettings;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.relay.ingest.EventIngester;
import org.nostrgpu.relay.live.SubscriptionRegistry;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.StoreOutcome;
import org.nostrgpu.relay.store.StoredEvents;
import org.nostrgpu.relay.verify.VerificationClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection over a real WebSocket against a scripted store, for the orderings a whole relay cannot force:
 * live events arriving while the stored query runs, and a client whose output backs up.
 */
class ClientConnectionTest {
    private static final Limits LIMITS = new Limits(16_384, 4, 3, 50, 20, 2_000, 900, 0, 0);
    private static final long OUTBOUND_BOUND = 256 * 1024;

    private final EventSigner author = EventSigner.random();
    private final BlockingQueue<String> written = new LinkedBlockingQueue<>();
    private final SubscriptionRegistry registry = new SubscriptionRegistry();
    private final Promise<List<String>> storedResult = Promise.promise();
    private final BlockingQueue<Short> closedWith = new LinkedBlockingQueue<>();
    private final ConnectionGuards guards = new ConnectionGuards(
            AbuseLimits.defaults().withMaxOutboundBytesPerConnection(OUTBOUND_BOUND), AuthSettings.disabled(), 2);
    private Vertx vertx;
    private HttpServer server;
    private WebSocketClient client;
    private WebSocket socket;

    @BeforeEach
    void connect() throws Exception {
        vertx = Vertx.vertx();
        ConnectionServices services = new ConnectionServices(
                new EventIngester(store(), unusedVerifier(), registry, LIMITS, () -> 0), store(), registry, LIMITS,
                () -> 0, new ConnectionMetrics(new SimpleMeterRegistry(), registry::size), null);
        server = vertx.createHttpServer().webSocketHandler(accepted -> ClientConnection.serve(accepted, services, guards))
                .listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 20));
        socket = client.connect(server.actualPort(), "127.0.0.1", "/").await(5, TimeUnit.SECONDS);
        socket.textMessageHandler(written::add);
        socket.closeHandler(closed -> closedWith.add(socket.closeStatusCode()));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** Sends a REQ and waits until the relay has registered it for live events. */
    private void subscribe(String req, int subscriptionsAfter) throws Exception {
        socket.writeTextMessage(req);
        long deadline = System.currentTimeMillis() + 5_000;
        while (registry.size() < subscriptionsAfter && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(subscriptionsAfter, registry.size());
    }

    private JsonArray next() throws InterruptedException {
        String frame = written.poll(5, TimeUnit.SECONDS);
        assertNotNull(frame, "nothing written");
        return new JsonArray(frame);
    }

    @Test
    void liveEventsWaitForEoseAndAreNotSentTwice() throws Exception {
        Event stored = author.sign(1, 1, List.of(), "stored");
        Event storedAndLive = author.sign(2, 1, List.of(), "committed during the query");
        Event live = author.sign(3, 1, List.of(), "live");
        subscribe("[\"REQ\",\"s\",{\"kinds\":[1]}]", 1);

        registry.fanOut(storedAndLive, storedAndLive.toJson());
        registry.fanOut(live, live.toJson());
        assertNull(written.poll(100, TimeUnit.MILLISECONDS), "nothing before the stored events");

        storedResult.complete(List.of(storedAndLive.toJson(), stored.toJson()));
        assertEquals(storedAndLive.id(), next().getJsonObject(2).getString("id"));
        assertEquals(stored.id(), next().getJsonObject(2).getString("id"));
        assertEquals(new JsonArray().add("EOSE").add("s"), next());
        assertEquals(live.id(), next().getJsonObject(2).getString("id"));
        assertNull(written.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aStoredAnswerIsNotOvertakenByLiveEventsOrLaterFrames() throws Exception {
        List<String> stored = new ArrayList<>();
        for (int i = 24; i > 0; i--) {
            stored.add(author.sign(i, 1, List.of(), "stored " + i).toJson());
        }
        Event live = author.sign(25, 1, List.of(), "live \u00e9\uD83D\uDE80");
        subscribe("[\"REQ\",\"s\",{\"kinds\":[1]}]", 1);

        // the answer, then a live event, then a new subscription
        storedResult.complete(stored);
        registry.fanOut(live, live.toJson());
        socket.writeTextMessage("[\"REQ\",\"t\",{\"kinds\":[1],\"limit\":0}]");
        for (String json : stored) {
            JsonArray frame = next();
            assertEquals("EVENT", frame.getString(0), frame.encode());
            assertEquals(new JsonObject(json).getString("id"), frame.getJsonObject(2).getString("id"));
        }
        assertEquals(new JsonArray().add("EOSE").add("s"), next());
        assertEquals(new JsonArray().add("EVENT").add("s").add(new JsonObject(live.toJson())), next(),
                "the stored bytes behind the prefix, non-ASCII content included");
        assertEquals(new JsonArray().add("EOSE").add("t"), next());
        assertNull(written.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void framesOfEverySizeCarryTheirLengthInTheRightHeader() throws Exception {
        subscribe("[\"REQ\",\"s\",{\"kinds\":[1],\"limit\":0}]", 1);
        assertEquals(new JsonArray().add("EOSE").add("s"), next());
        // payloads under 126 bytes, up to 65 535 (16-bit length) and beyond (64-bit length)
        for (int contentLength : List.of(0, 200, 70_000)) {
            Event event = new Event("e".repeat(64), author.pubkey(), 1, 1, List.of(), "x".repeat(contentLength),
                    "f".repeat(128));
            registry.fanOut(event, event.toJson());
            assertEquals(new JsonObject(event.toJson()), next().getJsonObject(2));
        }
        Event tiny = new Event("", "", 0, 1, List.of(), "", "");
        registry.fanOut(tiny, "{}");
        assertEquals(new JsonArray().add("EVENT").add("s").add(new JsonObject()), next(), "a frame under 126 bytes");
    }

    @Test
    void aClientWhoseOutputBacksUpPastTheBoundGetsANoticeAndIsDisconnected() throws Exception {
        subscribe("[\"REQ\",\"s\",{\"kinds\":[1],\"limit\":0}]", 1);
        assertEquals(new JsonArray().add("EOSE").add("s"), next());

        socket.pause(); // the client stops reading: socket buffers fill, then the relay's unwritten output grows
        String content = "x".repeat(100_000);
        for (int i = 0; i < 1_000 && guards.slowReadersDisconnected() == 0; i++) {
            Event big = new Event(String.format("%064x", i), author.pubkey(), 1, 1, List.of(), content, "f".repeat(128));
            registry.fanOut(big, big.toJson());
            Thread.sleep(2); // lets the event loop hand the frames to the socket
        }
        assertEquals(1, guards.slowReadersDisconnected(), "disconnected once its unwritten output passed the bound");
        long highest = guards.highestPendingOutput();
        assertTrue(highest <= OUTBOUND_BOUND, "more unwritten output admitted than the bound: " + highest);
        assertTrue(highest > OUTBOUND_BOUND / 2, "the bound was not used: " + highest);

        socket.resume();
        JsonArray frame = next();
        while (frame.getString(0).equals("EVENT")) {
            frame = next();
        }
        assertEquals("NOTICE", frame.getString(0), frame.encode());
        assertTrue(frame.getString(1).startsWith("error: ") && frame.getString(1).contains("not reading"),
                frame.encode());
        assertEquals(ClientConnection.POLICY_VIOLATION, closedWith.poll(5, TimeUnit.SECONDS));

        Event after = author.sign(2, 1, List.of(), "after the close");
        registry.fanOut(after, after.toJson());
        assertNull(written.poll(200, TimeUnit.MILLISECONDS), "nothing more is written");
    }

    private EventStore store() {
        return new EventStore() {
            @Override
            public Future<Boolean> isKnown(String id) {
                return Future.succeededFuture(false);
            }

            @Override
            public Future<StoreOutcome> store(Event event) {
                return Future.succeededFuture(StoreOutcome.STORED);
            }

            @Override
            public Future<StoredEvents> queryEvents(List<Filter> filters, int maxLimit, long nowSeconds) {
                return storedResult.future().map(StoredEvents::fromJson);
            }

            @Override
            public Future<Long> count(List<Filter> filters, long nowSeconds) {
                return Future.succeededFuture(0L);
            }

            @Override
            public Future<ItemSet> negentropyItems(Filter filter, long nowSeconds, int maxItems, long budgetMillis) {
                return Future.failedFuture(new UnsupportedOperationException("these tests open no negentropy session"));
            }

            @Override
            public Future<Integer> removeExpired(long nowSeconds) {
                return Future.succeededFuture(0);
            }

            @Override
            public Future<Void> close() {
                return Future.succeededFuture();
            }
        };
    }

    private static VerificationClient unusedVerifier() {
        return new VerificationClient() {
            @Override
            public Future<org.nostrgpu.common.verify.Verdict> verify(Event event) {
                throw new AssertionError("these tests publish nothing");
            }

            @Override
            public String describe() {
                return "unused";
            }

            @Override
            public Future<Void> close() {
                return Future.succeededFuture();
            }
        };
    }
}
