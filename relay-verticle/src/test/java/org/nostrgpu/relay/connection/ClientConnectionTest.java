package org.nostrgpu.relay.connection;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
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
import org.nostrgpu.relay.ingest.EventIngester;
import org.nostrgpu.relay.live.SubscriptionRegistry;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.StoreOutcome;
import org.nostrgpu.relay.verify.VerificationClient;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection against a scripted socket and store, for the orderings a real socket cannot force:
 * live events arriving while the stored query runs, and a client whose output backs up.
 */
class ClientConnectionTest {
    private static final Limits LIMITS = new Limits(16_384, 4, 3, 50, 20, 2_000, 900, 0, 0);
    private static final long OUTBOUND_BOUND = 4_096;

    private final EventSigner author = EventSigner.random();
    private final BlockingQueue<String> written = new LinkedBlockingQueue<>();
    /** While set, writes never complete: the client has stopped reading. */
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final BlockingQueue<Short> closedWith = new LinkedBlockingQueue<>();
    private final SubscriptionRegistry registry = new SubscriptionRegistry();
    private final Promise<List<String>> storedResult = Promise.promise();
    private Vertx vertx;
    private Context context;
    private Handler<WebSocketFrame> frameHandler;

    @BeforeEach
    void connect() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        ServerWebSocket socket = scriptedSocket();
        ConnectionServices services = new ConnectionServices(
                new EventIngester(store(), unusedVerifier(), registry, LIMITS, () -> 0), store(), registry, LIMITS,
                () -> 0);
        ConnectionGuards guards = new ConnectionGuards(
                AbuseLimits.defaults().withMaxOutboundBytesPerConnection(OUTBOUND_BOUND), AuthSettings.disabled(), 2);
        onContext(() -> ClientConnection.serve(socket, services, guards));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private void onContext(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            action.run();
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private void receive(String frame) throws Exception {
        onContext(() -> frameHandler.handle(WebSocketFrame.textFrame(frame, true)));
    }

    private JsonArray next() throws InterruptedException {
        String frame = written.poll(5, TimeUnit.SECONDS);
        assertNotNull(frame, "nothing written");
        return new JsonArray(frame);
    }

    private void fanOut(Event event) throws Exception {
        registry.fanOut(event, event.toJson());
        onContext(() -> { }); // the delivery hop has run once a later task on the same context has
    }

    @Test
    void liveEventsWaitForEoseAndAreNotSentTwice() throws Exception {
        Event stored = author.sign(1, 1, List.of(), "stored");
        Event storedAndLive = author.sign(2, 1, List.of(), "committed during the query");
        Event live = author.sign(3, 1, List.of(), "live");
        receive("[\"REQ\",\"s\",{\"kinds\":[1]}]");

        fanOut(storedAndLive);
        fanOut(live);
        assertNull(written.poll(100, TimeUnit.MILLISECONDS), "nothing before the stored events");

        onContext(() -> storedResult.complete(List.of(storedAndLive.toJson(), stored.toJson())));
        assertEquals(storedAndLive.id(), next().getJsonObject(2).getString("id"));
        assertEquals(stored.id(), next().getJsonObject(2).getString("id"));
        assertEquals(new JsonArray().add("EOSE").add("s"), next());
        assertEquals(live.id(), next().getJsonObject(2).getString("id"));
        assertNull(written.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aLargeStoredAnswerWrittenOffTheEventLoopIsNotOvertakenByLiveEventsOrLaterFrames() throws Exception {
        int storedCount = ClientConnection.OFF_LOOP_WRITE_MIN_FRAMES * 3;
        List<String> stored = new ArrayList<>();
        for (int i = storedCount; i > 0; i--) {
            stored.add(author.sign(i, 1, List.of(), "stored " + i).toJson());
        }
        Event live = author.sign(storedCount + 1, 1, List.of(), "live");
        receive("[\"REQ\",\"s\",{\"kinds\":[1]}]");

        // the answer, then a live event and a new subscription, all before the answer's writes ran
        onContext(() -> {
            storedResult.complete(stored);
            registry.fanOut(live, live.toJson());
            frameHandler.handle(WebSocketFrame.textFrame("[\"REQ\",\"t\",{\"kinds\":[1],\"limit\":0}]", true));
        });
        for (String json : stored) {
            JsonArray frame = next();
            assertEquals("EVENT", frame.getString(0), frame.encode());
            assertEquals(new JsonObject(json).getString("id"), frame.getJsonObject(2).getString("id"));
        }
        assertEquals(new JsonArray().add("EOSE").add("s"), next());
        assertEquals(live.id(), next().getJsonObject(2).getString("id"));
        assertEquals(new JsonArray().add("EOSE").add("t"), next());
        assertNull(written.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aClientWhoseOutputBacksUpPastTheBoundGetsANoticeAndIsDisconnected() throws Exception {
        receive("[\"REQ\",\"s\",{\"kinds\":[1],\"limit\":0}]");
        assertEquals(new JsonArray().add("EOSE").add("s"), next());

        stalled.set(true);
        long admitted = 0;
        JsonArray frame;
        for (int i = 0; ; i++) {
            fanOut(author.sign(i, 1, List.of(), "x".repeat(900)));
            String text = written.poll(5, TimeUnit.SECONDS);
            assertNotNull(text, "nothing written");
            frame = new JsonArray(text);
            if (!frame.getString(0).equals("EVENT")) {
                break;
            }
            admitted += text.length();
            assertTrue(admitted <= OUTBOUND_BOUND, "more unread output admitted than the bound: " + admitted);
        }
        assertTrue(admitted > OUTBOUND_BOUND / 2, "the bound was not used: " + admitted);
        assertEquals("NOTICE", frame.getString(0), frame.encode());
        assertTrue(frame.getString(1).startsWith("error: ") && frame.getString(1).contains("not reading"),
                frame.encode());
        assertEquals(ClientConnection.POLICY_VIOLATION, closedWith.poll(5, TimeUnit.SECONDS));

        fanOut(author.sign(10_000, 1, List.of(), "after the close"));
        assertNull(written.poll(100, TimeUnit.MILLISECONDS), "nothing more is written");
    }

    /** A ServerWebSocket that records written text and closes, and hands the frame handler to the test. */
    @SuppressWarnings("unchecked")
    private ServerWebSocket scriptedSocket() {
        return (ServerWebSocket) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerWebSocket.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "frameHandler" -> {
                        frameHandler = (Handler<WebSocketFrame>) args[0];
                        yield proxy;
                    }
                    case "writeTextMessage" -> {
                        written.add((String) args[0]);
                        yield stalled.get() ? Promise.promise().future() : Future.succeededFuture();
                    }
                    case "close" -> {
                        closedWith.add(args == null || args.length == 0 ? (short) 1000 : (Short) args[0]);
                        yield Future.succeededFuture();
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getReturnType().isInstance(proxy) ? proxy : null;
                });
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
            public Future<List<String>> query(List<Filter> filters, int maxLimit, long nowSeconds) {
                return storedResult.future();
            }

            @Override
            public Future<Long> count(List<Filter> filters, long nowSeconds) {
                return Future.succeededFuture(0L);
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
