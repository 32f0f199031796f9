package org.nostrgpu.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Measures REQ→EOSE latency of "by author, limit N" queries, one at a time on one connection. Authors are
 * discovered from the relay itself (a first REQ without conditions), so it works against any NIP-01 relay.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.QueryLoad ws://127.0.0.1:6969/ --queries 2000 --limit 100</pre>
 */
public final class QueryLoad {

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("usage: QueryLoad ws://host:port/ [--queries N] [--limit N] [--warmup N]");
        }
        Map<String, String> flags = Flags.parse(args, 1);
        int queries = Flags.intOf(flags, "queries", 2000);
        int limit = Flags.intOf(flags, "limit", 100);
        int warmup = Flags.intOf(flags, "warmup", 200);
        Vertx vertx = Vertx.vertx();
        try {
            System.out.println(run(vertx, args[0], queries, limit, warmup).describe());
        } finally {
            vertx.close().await();
        }
    }

    /** What one query run measured. */
    public record Result(int authors, int queries, int limit, double eventsPerQuery, double queriesPerSecond,
                         String latency) {
        public String describe() {
            return String.format("query: %d authors discovered%n"
                            + "REQ {authors:[1 author], limit:%d}: %d queries, %.1f events/query, %.0f queries/s%n"
                            + "REQ→EOSE latency: %s",
                    authors, limit, queries, eventsPerQuery, queriesPerSecond, latency);
        }
    }

    /** Runs warm-up then measured "by author" queries one after the other on one connection. */
    public static Result run(Vertx vertx, String url, int queries, int limit, int warmup) {
        // Held until the end: Vert.x 5 shuts down a client, and closes its connections, once it is garbage collected.
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 22));
        WebSocket socket = client.connect(RelayUrl.parse(url)).await();
        try {
            Session session = new Session(socket);
            List<String> authors = session.discoverAuthors();
            Random random = new Random(42);
            for (int i = 0; i < warmup; i++) {
                session.timedReq(authorFilter(authors.get(random.nextInt(authors.size())), limit));
            }
            Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
            long events = 0;
            long start = System.nanoTime();
            for (int i = 0; i < queries; i++) {
                Timed result = session.timedReq(authorFilter(authors.get(random.nextInt(authors.size())), limit));
                latency.recordValue(result.micros);
                events += result.events;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(authors.size(), queries, limit, (double) events / queries, queries / seconds,
                    LatencyReport.of(latency));
        } finally {
            socket.close().await();
            client.close().await();
        }
    }

    private static JsonObject authorFilter(String author, int limit) {
        return new JsonObject().put("authors", new JsonArray().add(author)).put("limit", limit);
    }

    private record Timed(long micros, int events) {
    }

    /** One connection; requests are issued one after the other. */
    private static final class Session {
        private final WebSocket socket;
        private volatile Consumer<String> listener = message -> { };
        private volatile Promise<Void> pending;
        private int counter;

        Session(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(message -> listener.accept(message));
            socket.exceptionHandler(failure -> failPending("connection failed: " + failure));
            socket.closeHandler(closed -> failPending("connection closed: status " + socket.closeStatusCode()
                    + ", reason " + socket.closeReason()));
        }

        /** A query in progress when the connection ends fails instead of waiting forever for its EOSE. */
        private void failPending(String why) {
            Promise<Void> request = pending;
            if (request != null) {
                request.tryFail(why);
            }
        }

        List<String> discoverAuthors() {
            Set<String> authors = new LinkedHashSet<>();
            req(new JsonObject().put("limit", 5000),
                    eventFrame -> authors.add(new JsonArray(eventFrame).getJsonObject(2).getString("pubkey"))).await();
            if (authors.isEmpty()) {
                throw new IllegalStateException("the relay returned no events; fill it first");
            }
            return new ArrayList<>(authors);
        }

        Timed timedReq(JsonObject filter) {
            int[] events = {0};
            long start = System.nanoTime();
            req(filter, eventFrame -> events[0]++).await();
            return new Timed((System.nanoTime() - start) / 1000, events[0]);
        }

        /**
         * EVENT frames of this subscription go to {@code onEventFrame} as text, recognised by their prefix
         * without parsing: the client shares the relay's CPU, so it should not spend it decoding what it only counts.
         */
        private Future<Void> req(JsonObject filter, Consumer<String> onEventFrame) {
            String subscription = "q" + (counter++);
            // ids are "q<n>": nothing to escape; relays write frames without whitespace, as NIP-01's examples do
            String eventPrefix = "[\"EVENT\",\"" + subscription + "\",";
            Promise<Void> eose = Promise.promise();
            pending = eose;
            listener = message -> {
                if (message.startsWith(eventPrefix)) {
                    onEventFrame.accept(message);
                    return;
                }
                JsonArray frame = new JsonArray(message);
                if (!subscription.equals(frame.getString(1))) {
                    return;
                }
                switch (frame.getString(0)) {
                    case "EOSE" -> {
                        socket.writeTextMessage(new JsonArray().add("CLOSE").add(subscription).encode());
                        eose.tryComplete();
                    }
                    case "CLOSED" -> eose.tryFail("CLOSED: " + frame.getString(2));
                    default -> { }
                }
            };
            socket.writeTextMessage(new JsonArray().add("REQ").add(subscription).add(filter).encode());
            return eose.future();
        }
    }
}
