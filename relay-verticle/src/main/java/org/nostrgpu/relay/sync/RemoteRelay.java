package org.nostrgpu.relay.sync;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.common.negentropy.Negentropy;
import org.nostrgpu.common.negentropy.NegentropyException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A client of any NIP-01/NIP-77 relay, used from a plain (blocking) thread: reconcile a set of items with it,
 * fetch events by id, publish events. Frames it receives are routed to the subscription or event they name.
 */
public final class RemoteRelay implements AutoCloseable {
    /** Largest frame accepted from the other relay (a REQ answer's events arrive one per frame). */
    private static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final WebSocketClient client;
    private final WebSocket socket;
    private final Duration timeout;
    private final Map<String, BlockingQueue<RelayFrame>> bySubscription = new ConcurrentHashMap<>();
    private final Map<String, Consumer<RelayFrame>> okHandlers = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private volatile boolean closed;

    private RemoteRelay(WebSocketClient client, WebSocket socket, Duration timeout) {
        this.client = client;
        this.socket = socket;
        this.timeout = timeout;
        socket.textMessageHandler(this::receive);
        socket.closeHandler(ignored -> {
            closed = true;
            RelayFrame gone = new RelayFrame("closed", null, "the relay closed the connection", null, false);
            bySubscription.values().forEach(queue -> queue.add(gone));
            okHandlers.values().forEach(handler -> handler.accept(gone));
        });
    }

    /** @param url {@code ws://} or {@code wss://} */
    public static RemoteRelay connect(Vertx vertx, URI url, Duration timeout) throws Exception {
        boolean tls = "wss".equalsIgnoreCase(url.getScheme());
        if (!tls && !"ws".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("relay URL must start with ws:// or wss://, got " + url);
        }
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxMessageSize(MAX_MESSAGE_BYTES).setMaxFrameSize(MAX_MESSAGE_BYTES));
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(url.getHost())
                .setPort(url.getPort() > 0 ? url.getPort() : tls ? 443 : 80)
                .setSsl(tls)
                .setURI(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath());
        WebSocket socket = client.connect(options).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new RemoteRelay(client, socket, timeout);
    }

    /** What a reconciliation found and cost. */
    public record Reconciliation(List<byte[]> have, List<byte[]> need, int rounds, long bytesSent,
                                 long bytesReceived) {
    }

    /** The other relay refused or broke off the reconciliation ({@code NEG-ERR}, a closed connection). */
    public static final class SyncRefusedException extends Exception {
        public SyncRefusedException(String message) {
            super(message);
        }
    }

    /**
     * Runs NIP-77 as the initiator with {@code mine}: {@code have} lists the ids only this side holds, {@code need}
     * those only the other relay holds (among the events matching {@code filter}).
     */
    public Reconciliation reconcile(JsonObject filter, ItemSet mine, int frameSizeLimit) throws Exception {
        String subscription = "neg-" + sequence.incrementAndGet();
        BlockingQueue<RelayFrame> answers = new LinkedBlockingQueue<>();
        bySubscription.put(subscription, answers);
        long sentBefore = bytesSent.get();
        long receivedBefore = bytesReceived.get();
        try {
            Negentropy negentropy = new Negentropy(mine, frameSizeLimit);
            List<byte[]> have = new ArrayList<>();
            List<byte[]> need = new ArrayList<>();
            send(new JsonArray().add("NEG-OPEN").add(subscription).add(filter)
                    .add(Hex.encode(negentropy.initiate())).encode());
            int rounds = 0;
            while (true) {
                rounds++;
                RelayFrame answer = await(answers, "NEG-MSG");
                if (!"NEG-MSG".equals(answer.type())) {
                    throw new SyncRefusedException(answer.type() + ": " + answer.text());
                }
                byte[] next;
                try {
                    next = negentropy.next(Hex.decode(answer.text()), have, need);
                } catch (NegentropyException | IllegalArgumentException e) {
                    throw new SyncRefusedException("the relay's negentropy message is not valid: " + e.getMessage());
                }
                if (next == null) {
                    send(new JsonArray().add("NEG-CLOSE").add(subscription).encode());
                    return new Reconciliation(have, need, rounds, bytesSent.get() - sentBefore,
                            bytesReceived.get() - receivedBefore);
                }
                send(new JsonArray().add("NEG-MSG").add(subscription).add(Hex.encode(next)).encode());
            }
        } finally {
            bySubscription.remove(subscription);
        }
    }

    /**
     * Asks for the events with these ids, {@code idsPerRequest} per REQ, and hands each one received to
     * {@code onEvent} (on this thread). Events the relay no longer has are simply not received.
     */
    public void fetch(List<String> ids, int idsPerRequest, EventHandler onEvent) throws Exception {
        for (int start = 0; start < ids.size(); start += idsPerRequest) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + idsPerRequest));
            String subscription = "fetch-" + sequence.incrementAndGet();
            BlockingQueue<RelayFrame> frames = new LinkedBlockingQueue<>();
            bySubscription.put(subscription, frames);
            try {
                JsonObject filter = new JsonObject().put("ids", new JsonArray(new ArrayList<>(chunk)))
                        .put("limit", chunk.size());
                send(new JsonArray().add("REQ").add(subscription).add(filter).encode());
                while (true) {
                    RelayFrame frame = await(frames, "EVENT or EOSE");
                    if ("EVENT".equals(frame.type())) {
                        onEvent.onEvent(frame.event());
                    } else if ("EOSE".equals(frame.type())) {
                        break;
                    } else {
                        throw new SyncRefusedException("REQ for events by id: " + frame.type() + ": " + frame.text());
                    }
                }
                send(new JsonArray().add("CLOSE").add(subscription).encode());
            } finally {
                bySubscription.remove(subscription);
            }
        }
    }

    /** Receives fetched events; may block (it holds up reading the next one). */
    @FunctionalInterface
    public interface EventHandler {
        void onEvent(Event event) throws Exception;
    }

    /**
     * Publishes events, at most {@code window} without an answer, and waits for every OK.
     *
     * @param onAnswer called with each event's OK (from another thread): accepted and the message
     */
    public void publish(Iterator<Event> events, int window, Consumer<RelayFrame> onAnswer) throws Exception {
        Semaphore slots = new Semaphore(window);
        while (events.hasNext()) {
            Event event = events.next();
            if (!slots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("no OK from the relay within " + timeout.toSeconds() + " s");
            }
            okHandlers.put(event.id(), frame -> {
                okHandlers.remove(event.id());
                onAnswer.accept(frame);
                slots.release();
            });
            send("[\"EVENT\"," + event.toJson() + "]");
        }
        if (!slots.tryAcquire(window, timeout.toMillis() * 4, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("OKs missing from the relay");
        }
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    private RelayFrame await(BlockingQueue<RelayFrame> queue, String what) throws Exception {
        RelayFrame frame = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new TimeoutException("no " + what + " from the relay within " + timeout.toSeconds() + " s");
        }
        return frame;
    }

    private void send(String frame) throws SyncRefusedException {
        if (closed) {
            throw new SyncRefusedException("the relay closed the connection");
        }
        bytesSent.addAndGet(frame.getBytes(StandardCharsets.UTF_8).length);
        socket.writeTextMessage(frame);
    }

    private void receive(String text) {
        bytesReceived.addAndGet(text.getBytes(StandardCharsets.UTF_8).length);
        RelayFrame frame = RelayFrame.parse(text);
        if ("OK".equals(frame.type())) {
            Consumer<RelayFrame> handler = okHandlers.get(frame.id());
            if (handler != null) {
                handler.accept(frame);
            }
            return;
        }
        if (frame.id() != null) {
            BlockingQueue<RelayFrame> queue = bySubscription.get(frame.id());
            if (queue != null) {
                queue.add(frame);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        client.close();
    }
}
