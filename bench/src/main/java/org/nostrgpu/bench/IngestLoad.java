package org.nostrgpu.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * figures describe a relay past its JIT warm-up rather than its first seconds. With {@code --rate R} the measured
 * events are sent open-loop at R events/s in all (at most {@code --events}), whatever the answers, and OK latency
 * counts from each event's scheduled instant (coordinated omission accounted for).
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.IngestLoad ws://127.0.0.1:6969/ \
 *      --events 100000 --warmup 50000 --connections 8 --window 64 --corpus bench-results/corpus.jsonl
 * java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.IngestLoad ws://127.0.0.1:6969/ \
 *      --events 60000 --rate 2000 --connections 25 --relay-pid PID</pre>
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
            Map<String, Long> relayThreadsBefore = ThreadCpu.snapshot(options.relayPid);
            long ownCpuBefore = CpuClock.ownNanos();
            List<String> events = corpus.subList(options.warmup, corpus.size());
            Result measured = options.rate > 0
                    ? runAtRate(vertx, List.of(options.url), options.connections, options.rate,
                            events.size() / (double) options.rate, options.timeoutSeconds, events)
                    : run(vertx, options.url, options.connections, options.window, options.timeoutSeconds, events);
            long ownCpu = CpuClock.ownNanos() - ownCpuBefore;
            System.out.println(measured.describe());
            long perEvent = Math.max(1, measured.accepted());
            if (options.relayPid > 0) {
                long relayCpu = CpuClock.processNanos(options.relayPid) - relayCpuBefore;
                System.out.printf("CPU per accepted event: relay (pid %d) %.0f us, this load generator %.0f us%n",
                        options.relayPid, relayCpu / 1e3 / perEvent, ownCpu / 1e3 / perEvent);
                String byThread = ThreadCpu.perUnit(relayThreadsBefore, ThreadCpu.snapshot(options.relayPid),
                        perEvent, "accepted event");
                if (!byThread.isEmpty()) {
                    System.out.println(byThread);
                }
            } else {
                System.out.printf("CPU per accepted event: this load generator %.0f us%n", ownCpu / 1e3 / perEvent);
            }
        } finally {
            vertx.close().await();
        }
    }

    /**
     * What one ingest run measured. {@code micros}: OK latency from when each event was due to be sent (in the
     * fixed-rate mode its scheduled instant, so a stalled sender cannot hide the wait: coordinated omission is
     * accounted for); {@code sendToOkMicros}: from when it actually left (the same histogram in the closed loop).
     * {@code offeredPerSecond} is 0 in the closed loop; {@code unanswered} events got no OK before the timeout.
     */
    public record Result(int events, int connections, int window, double offeredPerSecond, double seconds,
                         long accepted, Map<String, Long> refusedByReason, long unanswered, Histogram micros,
                         Histogram sendToOkMicros) {
        public String latency() {
            return LatencyReport.of(micros);
        }

        public long refused() {
            return refusedByReason.values().stream().mapToLong(Long::longValue).sum();
        }

        public String describe() {
            String mode = offeredPerSecond > 0 ? String.format("at a fixed rate of %.0f events/s", offeredPerSecond)
                    : String.format("(window %d)", window);
            return String.format("ingest: %d events over %d connections %s in %.2f s%n"
                            + "accepted (OK true): %d = %.0f events/s; OK false: %d %s; no answer: %d%n"
                            + "OK latency: %s%s",
                    events, connections, mode, seconds, accepted, accepted / seconds, refused(), refusedByReason,
                    unanswered, latency(), offeredPerSecond > 0 ? "\nsend-to-OK latency (not corrected for "
                            + "coordinated omission): " + LatencyReport.of(sendToOkMicros) : "");
        }
    }

    /** Publishes every event of the corpus (canonical JSON objects) and waits for all OKs or the timeout. */
    public static Result run(Vertx vertx, String url, int connections, int window, long timeoutSeconds,
                             List<String> corpus) throws InterruptedException {
        return run(vertx, List.of(url), connections, window, timeoutSeconds, corpus);
    }

    /**
     * Closed loop: every connection keeps up to {@code window} events unacknowledged. Connection c goes to
     * {@code urls[c % urls.size()]}.
     */
    public static Result run(Vertx vertx, List<String> urls, int connections, int window, long timeoutSeconds,
                             List<String> corpus) throws InterruptedException {
        return publish(vertx, urls, connections, new Pacing(window, 0), timeoutSeconds, corpus);
    }

    /**
     * Open loop at a fixed rate: {@code perSecond} events/s in all, spread evenly over the connections, for
     * {@code seconds} (at most the corpus), whatever the answers; then up to {@code drainSeconds} for the last OKs.
     * Latency counts from each event's scheduled instant.
     */
    public static Result runAtRate(Vertx vertx, List<String> urls, int connections, double perSecond, double seconds,
                                   long drainSeconds, List<String> corpus) throws InterruptedException {
        int events = (int) Math.min(corpus.size(), Math.round(perSecond * seconds));
        return publish(vertx, urls, connections, new Pacing(Integer.MAX_VALUE, perSecond / connections),
                (long) Math.ceil(seconds) + drainSeconds, corpus.subList(0, events));
    }

    /** How a connection sends: a window of unacknowledged events, or a rate (events/s of this connection, >0). */
    private record Pacing(int window, double perSecond) {
        boolean paced() {
            return perSecond > 0;
        }
    }

    /** The figures every connection adds to; the histograms are guarded by {@code micros}'s monitor. */
    private record Tally(Histogram micros, Histogram sendToOkMicros, AtomicLong accepted,
                         Map<String, AtomicLong> refusedByReason, AtomicLong answered) {
        static Tally create() {
            return new Tally(new Histogram(TimeUnit.SECONDS.toMicros(120), 3),
                    new Histogram(TimeUnit.SECONDS.toMicros(120), 3), new AtomicLong(), new ConcurrentHashMap<>(),
                    new AtomicLong());
        }

        void record(long dueNanos, long sentNanos, long now) {
            synchronized (micros) {
                micros.recordValue(Math.min((now - dueNanos) / 1000, micros.getHighestTrackableValue()));
                sendToOkMicros.recordValue(Math.min((now - sentNanos) / 1000, micros.getHighestTrackableValue()));
            }
        }
    }

    private static Result publish(Vertx vertx, List<String> urls, int connections, Pacing pacing,
                                  long timeoutSeconds, List<String> corpus) throws InterruptedException {
        // Held until the end: Vert.x 5 shuts down a client, and closes its connections, once it is garbage collected.
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
        Tally tally = Tally.create();
        CountDownLatch done = new CountDownLatch(connections);
        List<Publisher> publishers = new ArrayList<>();
        // the paced mode connects everything first, so no connection's set-up delays another's schedule
        CountDownLatch connected = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            ArrayDeque<String> slice = new ArrayDeque<>();
            for (int i = c; i < corpus.size(); i += connections) {
                slice.add(corpus.get(i));
            }
            client.connect(RelayUrl.parse(urls.get(c % urls.size()))).onComplete(ar -> {
                if (ar.failed()) {
                    System.err.println("connect failed: " + ar.cause());
                    done.countDown();
                } else {
                    Publisher publisher = new Publisher(vertx, ar.result(), slice, pacing, tally, done);
                    synchronized (publishers) {
                        publishers.add(publisher);
                    }
                    if (!pacing.paced()) {
                        publisher.start();
                    }
                }
                connected.countDown();
            });
        }
        long start = System.nanoTime();
        if (pacing.paced()) {
            connected.await(60, TimeUnit.SECONDS);
            start = System.nanoTime();
            synchronized (publishers) {
                publishers.forEach(publisher -> publisher.context.runOnContext(v -> publisher.start()));
            }
        }
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            System.err.println("timed out waiting for OKs");
        }
        client.close().await();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> refused = new TreeMap<>();
        tally.refusedByReason().forEach((reason, count) -> refused.put(reason, count.get()));
        synchronized (tally.micros()) {
            return new Result(corpus.size(), connections, pacing.paced() ? 0 : pacing.window(),
                    pacing.perSecond() * connections, seconds, tally.accepted().get(), refused,
                    corpus.size() - tally.answered().get(), tally.micros().copy(), tally.sendToOkMicros().copy());
        }
    }

    /** One connection: sends while fewer than {@code window} events await their OK, or on its schedule. */
    private static final class Publisher {
        private final Vertx vertx;
        /** The context the socket was connected on, where its handlers and timers run. */
        private final Context context;
        private final WebSocket socket;
        private final ArrayDeque<String> pending;
        private final Pacing pacing;
        private final Tally tally;
        private final CountDownLatch done;
        /** {due, sent} times by id; a corpus may hold the same event twice, each copy gets its own OK. */
        private final Map<String, ArrayDeque<long[]>> sentAt = new HashMap<>();
        private int unacknowledged;
        private long scheduleStart;
        private long sent;
        private boolean finished;

        Publisher(Vertx vertx, WebSocket socket, ArrayDeque<String> pending, Pacing pacing, Tally tally,
                  CountDownLatch done) {
            this.vertx = vertx;
            this.context = vertx.getOrCreateContext();
            this.socket = socket;
            this.pending = pending;
            this.pacing = pacing;
            this.tally = tally;
            this.done = done;
        }

        void start() {
            socket.textMessageHandler(this::onMessage);
            if (pacing.paced()) {
                scheduleStart = System.nanoTime();
                sendDue();
            } else {
                fill();
            }
            finishIfDone();
        }

        /**
         * Sends every event whose scheduled instant has come, each stamped with that instant, then sleeps until the
         * next one is due (a one-shot timer: its millisecond granularity, like any lateness, counts in the latency).
         */
        private void sendDue() {
            long now = System.nanoTime();
            double nanosPerEvent = 1e9 / pacing.perSecond();
            while (!pending.isEmpty() && scheduleStart + (long) (sent * nanosPerEvent) <= now) {
                send(pending.poll(), scheduleStart + (long) (sent * nanosPerEvent), now);
            }
            if (!pending.isEmpty()) {
                long wait = scheduleStart + (long) (sent * nanosPerEvent) - System.nanoTime();
                vertx.setTimer(Math.max(1, (wait + 999_999) / 1_000_000), id -> sendDue());
            }
        }

        private void fill() {
            while (unacknowledged < pacing.window() && !pending.isEmpty()) {
                long now = System.nanoTime();
                send(pending.poll(), now, now);
            }
        }

        private void send(String event, long due, long now) {
            // the id is the first field of the canonical object: {"id":"<64 hex>",...
            sentAt.computeIfAbsent(event.substring(7, 71), id -> new ArrayDeque<>()).add(new long[] {due, now});
            unacknowledged++;
            sent++;
            socket.writeTextMessage("[\"EVENT\"," + event + "]");
        }

        private void onMessage(String message) {
            if (!message.startsWith("[\"OK\"")) {
                return;
            }
            long now = System.nanoTime();
            JsonArray ok = new JsonArray(message);
            ArrayDeque<long[]> sendTimes = sentAt.get(ok.getString(1));
            if (sendTimes == null) {
                return;
            }
            long[] times = sendTimes.poll();
            if (sendTimes.isEmpty()) {
                sentAt.remove(ok.getString(1));
            }
            unacknowledged--;
            tally.answered().incrementAndGet();
            tally.record(times[0], times[1], now);
            if (ok.getBoolean(2)) {
                tally.accepted().incrementAndGet();
            } else {
                String text = ok.getString(3);
                int colon = text.indexOf(':');
                tally.refusedByReason().computeIfAbsent(colon > 0 ? text.substring(0, colon) : text,
                        k -> new AtomicLong()).incrementAndGet();
            }
            if (!pacing.paced()) {
                fill();
            }
            finishIfDone();
        }

        private void finishIfDone() {
            if (!finished && unacknowledged == 0 && pending.isEmpty()) {
                finished = true;
                socket.close();
                done.countDown();
            }
        }
    }

    private record Options(String url, int events, int warmup, int authors, int connections, int window,
                           Path corpus, long timeoutSeconds, long relayPid, int rate) {
        static Options parse(String[] args) {
            if (args.length == 0 || args[0].startsWith("-")) {
                throw new IllegalArgumentException("usage: IngestLoad ws://host:port/ [--events N] [--warmup N] "
                        + "[--authors N] [--connections C] [--window W] [--corpus FILE] [--timeout SECONDS] "
                        + "[--relay-pid PID (Linux: also report that process's CPU time)] "
                        + "[--rate EVENTS_PER_SECOND (open loop: fixed rate, latency from the scheduled instants)]");
            }
            Map<String, String> flags = Flags.parse(args, 1);
            Path corpus = flags.containsKey("corpus") ? Path.of(flags.get("corpus")) : null;
            Corpus.requireWritable(corpus);
            return new Options(args[0], Flags.intOf(flags, "events", 100_000), Flags.intOf(flags, "warmup", 0),
                    Flags.intOf(flags, "authors", 100),
                    Flags.intOf(flags, "connections", 8), Flags.intOf(flags, "window", 64), corpus,
                    Flags.intOf(flags, "timeout", 600), Flags.intOf(flags, "relay-pid", 0),
                    Flags.intOf(flags, "rate", 0));
        }
    }
}
