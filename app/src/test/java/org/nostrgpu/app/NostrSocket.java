package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.event.Event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Nostr client connection for the multi-process tests: publishes events and keeps each one's OK with the time it
 * arrived, and runs REQ queries to their EOSE. Publishing is safe from one thread at a time per socket.
 */
final class NostrSocket implements WebSocket.Listener, AutoCloseable {
    /** A relay's answer to one EVENT. */
    record Ok(String eventId, boolean accepted, String message, long receivedNanos) {
    }

    private final String name;
    private final Map<String, CompletableFuture<Ok>> oks = new ConcurrentHashMap<>();
    private final Map<String, Query> queries = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<String>> lives = new ConcurrentHashMap<>();
    private final AtomicInteger querySequence = new AtomicInteger();
    private final List<String> notices = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final Object sendLock = new Object();
    /** Kept referenced: the JDK closes a garbage-collected HttpClient's connections, WebSockets included. */
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocket socket;

    private NostrSocket(String name) {
        this.name = name;
    }

    static NostrSocket open(String name, int port) throws Exception {
        return open(name, "127.0.0.1", port);
    }

    static NostrSocket open(String name, String host, int port) throws Exception {
        NostrSocket listener = new NostrSocket(name);
        listener.socket = listener.http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + host + ":" + port + "/"), listener)
                .get(10, TimeUnit.SECONDS);
        return listener;
    }

    /** Sends the event; the future completes with the relay's OK for it. */
    CompletableFuture<Ok> publish(Event event) {
        CompletableFuture<Ok> ok = oks.computeIfAbsent(event.id(), id -> new CompletableFuture<>());
        send("[\"EVENT\"," + event.toJson() + "]");
        return ok;
    }

    /** The ids of the stored events matching {@code filter}, in the order the relay sent them. */
    List<String> queryIds(JsonObject filter) throws Exception {
        String subscription = "q" + querySequence.incrementAndGet();
        Query query = new Query();
        queries.put(subscription, query);
        send(new JsonArray().add("REQ").add(subscription).add(filter).encode());
        try {
            List<String> ids = query.done.get(20, TimeUnit.SECONDS);
            send(new JsonArray().add("CLOSE").add(subscription).encode());
            return ids;
        } finally {
            queries.remove(subscription);
        }
    }

    /**
     * Subscribes and keeps the subscription open: once the stored events have come (EOSE), the ids of the events
     * the relay delivers live arrive in the returned queue.
     */
    BlockingQueue<String> subscribe(JsonObject filter) throws Exception {
        String subscription = "live" + querySequence.incrementAndGet();
        BlockingQueue<String> live = new LinkedBlockingQueue<>();
        Query stored = new Query();
        lives.put(subscription, live);
        queries.put(subscription, stored);
        send(new JsonArray().add("REQ").add(subscription).add(filter).encode());
        try {
            stored.done.get(20, TimeUnit.SECONDS);
        } finally {
            queries.remove(subscription);
        }
        return live;
    }

    /** The JDK WebSocket allows one outstanding send: wait for each before the next. */
    private void send(String frame) {
        synchronized (sendLock) {
            socket.sendText(frame, true).join();
        }
    }

    synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            handle(frame);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String frame) {
        long now = System.nanoTime();
        JsonArray message = new JsonArray(frame);
        switch (message.getString(0)) {
            case "OK" -> {
                String id = message.getString(1);
                oks.computeIfAbsent(id, ignored -> new CompletableFuture<>())
                        .complete(new Ok(id, message.getBoolean(2), message.getString(3), now));
            }
            case "EVENT" -> {
                Query query = queries.get(message.getString(1));
                String id = message.getJsonObject(2).getString("id");
                if (query != null && !query.done.isDone()) {
                    query.ids.add(id);
                } else if (lives.containsKey(message.getString(1))) {
                    lives.get(message.getString(1)).add(id);
                }
            }
            case "EOSE" -> {
                Query query = queries.get(message.getString(1));
                if (query != null) {
                    query.done.complete(List.copyOf(query.ids));
                }
            }
            case "CLOSED" -> {
                Query query = queries.get(message.getString(1));
                if (query != null) {
                    query.done.completeExceptionally(new IllegalStateException(
                            name + ": query refused: " + frame));
                }
            }
            default -> {
                synchronized (this) {
                    notices.add(frame);
                }
            }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        onError(webSocket, new IllegalStateException("closed by the relay: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        IllegalStateException failure = new IllegalStateException(name + ": connection failed", error);
        oks.values().forEach(ok -> ok.completeExceptionally(failure));
        queries.values().forEach(query -> query.done.completeExceptionally(failure));
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static final class Query {
        final List<String> ids = new ArrayList<>();
        final CompletableFuture<List<String>> done = new CompletableFuture<>();
    }
}
