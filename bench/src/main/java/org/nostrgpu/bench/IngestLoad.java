package org.nostrgpu.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a corpus of signed events to a relay over C WebSocket connections, each keeping at most W
 * events unacknowledged, and reports accepted events/s, OK-false reasons and OK latency. With {@code --warmup N}
 * the first N events of the corpus are published the same way before the measured ones and not counted, so the
 * figures describe a relay past its JIT warm-up rather than its first seconds.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.IngestLoad ws://127.0.0.1:6969/ \
 *      --events 100000 --warmup 50000 --connections 8 --window 64 --corpus bench-results/corpus.jsonl</pre>
 */
public final class IngestLoad {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<String> corpus = Corpus.loadOrGenerate(options.corpus, options.warmup + options.events, options.authors);
        Vertx vertx = Vertx.vertx();
        try {
            if (options.warmup > 0) {
                Result warmup = run(vertx, options.url, options.connections, options.window, options.timeoutSeconds,
                        corpus.subList(0, options.warmup));
                System.out.printf("warm-up: %d events, %.0f accepted events/s (not counted)%n", warmup.events(),
                        warmup.accepted() / warmup.seconds());
            }
            long relayCpuBefore = options.relayPid > 0 ? CpuClock.processNanos(options.relayPid) : 0;
            long ownCpuBefore = CpuClock.ownNanos();
            Result measured = run(vertx, options.url, options.connections, options.window, options.timeoutSeconds,
                    corpus.subList(options.warmup, corpus.size()));
            long ownCpu = CpuClock.ownNanos() - ownCpuBefore;
            System.out.println(measured.describe());
            long perEvent = Math.max(1, measured.accepted());
            if (options.relayPid > 0) {
                long relayCpu = CpuClock.processNanos(options.relayPid) - relayCpuBefore;
                System.out.printf("CPU per accepted event: relay (pid %d) %.0f us, this load generator %.0f us%n",
                        options.relayPid, relayCpu / 1e3 / perEvent, ownCpu / 1e3 / perEvent);
            } else {
                System.out.printf("CPU per accepted event: this load generator %.0f us%n", ownCpu / 1e3 / perEvent);
            }
        } finally {
            vertx.close().await();
        }
    }

    /** What one ingest run measured. */
    public record Result(int events, int connections, int window, double seconds, long accepted,
                         Map<String, Long> refusedByReason, String latency) {
        public String describe() {
            long refused = refusedByReason.values().stream().mapToLong(Long::longValue).sum();
            return String.format("ingest: %d events over %d connections (window %d) in %.2f s%n"
                            + "accepted (OK true): %d = %.0f events/s; OK false: %d %s%nOK latency: %s",
                    events, connections, window, seconds, accepted, accepted / seconds, refused, refusedByReason,
                    latency);
        }
    }

    /** Publishes every event of the corpus (canonical JSON objects) and waits for all OKs or the timeout. */
    public static Result run(Vertx vertx, String url, int connections, int window, long timeoutSeconds,
                             List<String> corpus) throws InterruptedException {
        // Held until the end: Vert.x 5 shuts down a client, and closes its connections, once it is garbage collected.
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong accepted = new AtomicLong();
        Map<String, AtomicLong> refusedByReason = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            ArrayDeque<String> slice = new ArrayDeque<>();
            for (int i = c; i < corpus.size(); i += connections) {
                slice.add(corpus.get(i));
            }
            client.connect(RelayUrl.parse(url)).onComplete(ar -> {
                if (ar.failed()) {
                    System.err.println("connect failed: " + ar.cause());
                    done.countDown();
                    return;
                }
                new Publisher(ar.result(), slice, window, latency, accepted, refusedByReason, done).start();
            });
        }
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            System.err.println("timed out waiting for OKs");
        }
        client.close().await();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> refused = new TreeMap<>();
        refusedByReason.forEach((reason, count) -> refused.put(reason, count.get()));
        synchronized (latency) {
            return new Result(corpus.size(), connections, window, seconds, accepted.get(), refused,
                    LatencyReport.of(latency));
        }
    }

    /** One connection: sends while fewer than {@code window} events await their OK. */
    private static final class Publisher {
        private final WebSocket socket;
        private final ArrayDeque<String> pending;
        private final int window;
        private final Histogram latency;
        private final AtomicLong accepted;
        private final Map<String, AtomicLong> refusedByReason;
        private final CountDownLatch done;
        /** Send times by id; a corpus may hold the same event twice, each copy gets its own OK. */
        private final Map<String, ArrayDeque<Long>> sentAt = new HashMap<>();
        private int unacknowledged;

        Publisher(WebSocket socket, ArrayDeque<String> pending, int window, Histogram latency, AtomicLong accepted,
                  Map<String, AtomicLong> refusedByReason, CountDownLatch done) {
            this.socket = socket;
            this.pending = pending;
            this.window = window;
            this.latency = latency;
            this.accepted = accepted;
            this.refusedByReason = refusedByReason;
            this.done = done;
        }

        void start() {
            socket.textMessageHandler(this::onMessage);
            fill();
            if (unacknowledged == 0) {
                finish();
            }
        }

        private void fill() {
            while (unacknowledged < window && !pending.isEmpty()) {
                String event = pending.poll();
                // the id is the first field of the canonical object: {"id":"<64 hex>",...
                sentAt.computeIfAbsent(event.substring(7, 71), id -> new ArrayDeque<>()).add(System.nanoTime());
                unacknowledged++;
                socket.writeTextMessage("[\"EVENT\"," + event + "]");
            }
        }

        private void onMessage(String message) {
            if (!message.startsWith("[\"OK\"")) {
                return;
            }
            JsonArray ok = new JsonArray(message);
            ArrayDeque<Long> sendTimes = sentAt.get(ok.getString(1));
            if (sendTimes == null) {
                return;
            }
            long sent = sendTimes.poll();
            if (sendTimes.isEmpty()) {
                sentAt.remove(ok.getString(1));
            }
            unacknowledged--;
            synchronized (latency) {
                latency.recordValue(Math.min((System.nanoTime() - sent) / 1000, latency.getHighestTrackableValue()));
            }
            if (ok.getBoolean(2)) {
                accepted.incrementAndGet();
            } else {
                String text = ok.getString(3);
                int colon = text.indexOf(':');
                refusedByReason.computeIfAbsent(colon > 0 ? text.substring(0, colon) : text, k -> new AtomicLong())
                        .incrementAndGet();
            }
            fill();
            if (unacknowledged == 0 && pending.isEmpty()) {
                finish();
            }
        }

        private void finish() {
            socket.close();
            done.countDown();
        }
    }

    private record Options(String url, int events, int warmup, int authors, int connections, int window,
                           Path corpus, long timeoutSeconds, long relayPid) {
        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("-")) {
                throw new IllegalArgumentException("usage: IngestLoad ws://host:port/ [--events N] [--warmup N] "
                        + "[--authors N] [--connections C] [--window W] [--corpus FILE] [--timeout SECONDS] "
                        + "[--relay-pid PID (Linux: also report that process's CPU time)]");
            }
            Map<String, String> flags = Flags.parse(args, 1);
            Path corpus = flags.containsKey("corpus") ? Path.of(flags.get("corpus")) : null;
            Corpus.requireWritable(corpus);
            return new Options(args[0], Flags.intOf(flags, "events", 100_000), Flags.intOf(flags, "warmup", 0),
                    Flags.intOf(flags, "authors", 100),
                    Flags.intOf(flags, "connections", 8), Flags.intOf(flags, "window", 64), corpus,
                    Flags.intOf(flags, "timeout", 600), Flags.intOf(flags, "relay-pid", 0));
        }
    }
}
