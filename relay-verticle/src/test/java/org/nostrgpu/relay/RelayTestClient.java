package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import org.nostrgpu.common.event.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real WebSocket client for tests, used from the (blocking) test thread: frames received are queued and
 * read back with a timeout.
 */
final class RelayTestClient implements AutoCloseable {
    static final long TIMEOUT_MS = 5_000;

    private final WebSocketClient client;
    private final ClientWebSocket socket;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** NIP-42 challenges, kept apart so tests that do not authenticate never see them. */
    private final BlockingQueue<String> challenges = new LinkedBlockingQueue<>();
    private long lastArrivalNanos;
    private final CompletableFuture<Short> closeStatus = new CompletableFuture<>();

    private RelayTestClient(WebSocketClient client) {
        this.client = client;
        this.socket = client.webSocket();
        // handlers before the connection opens: the relay's first frame (its AUTH challenge) may come at once
        socket.textMessageHandler(frame -> {
            if (frame.startsWith("[\"AUTH\",")) {
                challenges.add(new JsonArray(frame).getString(1));
            } else {
                received.add(new Received(frame, System.nanoTime()));
            }
        });
        socket.closeHandler(ignored -> closeStatus.complete(socket.closeStatusCode()));
    }

    static RelayTestClient connect(Vertx vertx, int port) throws Exception {
        return connect(vertx, port, 1 << 20);
    }

    /** @param maxFrameSize the client splits longer messages into frames of this size */
    static RelayTestClient connect(Vertx vertx, int port, int maxFrameSize) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(maxFrameSize).setMaxMessageSize(1 << 20));
        RelayTestClient relayClient = new RelayTestClient(client);
        relayClient.socket.connect(port, "127.0.0.1", "/").await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return relayClient;
    }

    void send(String frame) {
        socket.writeTextMessage(frame);
    }

    void sendBinary(Buffer data) {
        socket.writeBinaryMessage(data);
    }

    /** The next frame from the relay, failing the test after the timeout. */
    JsonArray next() throws InterruptedException {
        Received frame = received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(frame, "no frame from the relay within " + TIMEOUT_MS + " ms");
        lastArrivalNanos = frame.nanos();
        return new JsonArray(frame.text());
    }

    /** When the frame last returned by {@link #next()} arrived, as {@link System#nanoTime()}. */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** The next frame, which must be of this type. */
    JsonArray next(String type) throws InterruptedException {
        JsonArray frame = next();
        assertEquals(type, frame.getString(0), "unexpected frame " + frame.encode());
        return frame;
    }

    /** The next frame within {@code millis}, or null when none came. */
    JsonArray poll(long millis) throws InterruptedException {
        Received frame = received.poll(millis, TimeUnit.MILLISECONDS);
        return frame == null ? null : new JsonArray(frame.text());
    }

    /** The NIP-42 challenge the relay sent, waiting for it. */
    String challenge() throws InterruptedException {
        String challenge = challenges.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(challenge, "no AUTH challenge from the relay within " + TIMEOUT_MS + " ms");
        challenges.add(challenge); // the same for the whole connection
        return challenge;
    }

    /** Whether the relay sent a challenge within {@code millis}. */
    boolean challenged(long millis) throws InterruptedException {
        String challenge = challenges.poll(millis, TimeUnit.MILLISECONDS);
        if (challenge != null) {
            challenges.add(challenge);
        }
        return challenge != null;
    }

    /** Takes every frame received so far without waiting; returns how many. */
    int drain() {
        List<Received> taken = new ArrayList<>();
        received.drainTo(taken);
        return taken.size();
    }

    /** Asserts the relay sends nothing for a while. */
    void expectSilence(long millis) throws InterruptedException {
        Received frame = received.poll(millis, TimeUnit.MILLISECONDS);
        assertNull(frame, () -> "unexpected frame " + frame.text());
    }

    /** Publishes an event and returns the relay's OK, checking it has exactly four elements and names the event. */
    JsonArray publish(Event event) throws InterruptedException {
        send("[\"EVENT\"," + event.toJson() + "]");
        JsonArray ok = next("OK");
        assertOkShape(ok, event.id());
        return ok;
    }

    /** Publishes and requires {@code OK true}. */
    void publishAccepted(Event event) throws InterruptedException {
        JsonArray ok = publish(event);
        assertTrue(ok.getBoolean(2), "expected OK true, got " + ok.encode());
    }

    static void assertOkShape(JsonArray ok, String eventId) {
        assertEquals(4, ok.size(), "OK must have four elements: " + ok.encode());
        assertEquals("OK", ok.getString(0));
        assertEquals(eventId, ok.getString(1));
        assertTrue(ok.getValue(2) instanceof Boolean, "third element must be a boolean: " + ok.encode());
        assertTrue(ok.getValue(3) instanceof String, "fourth element must be a string: " + ok.encode());
    }

    /** Sends a REQ and returns the events received before EOSE (as JSON objects' ids order is kept). */
    List<JsonArray> req(String subscriptionId, String... filters) throws InterruptedException {
        send("[\"REQ\"," + Json.encode(subscriptionId) + "," + String.join(",", filters) + "]");
        return untilEose(subscriptionId);
    }

    List<JsonArray> untilEose(String subscriptionId) throws InterruptedException {
        List<JsonArray> events = new ArrayList<>();
        while (true) {
            JsonArray frame = next();
            if (frame.getString(0).equals("EOSE")) {
                assertEquals(subscriptionId, frame.getString(1));
                return events;
            }
            assertEquals("EVENT", frame.getString(0), "expected EVENT or EOSE, got " + frame.encode());
            assertEquals(subscriptionId, frame.getString(1));
            events.add(frame);
        }
    }

    /** The close status the relay sent, waiting for the close. */
    short awaitClosedByRelay() throws Exception {
        return closeStatus.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        socket.close().await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        client.close();
    }

    /** A frame from the relay and when it arrived ({@link System#nanoTime()}). */
    private record Received(String text, long nanos) {
    }
}
