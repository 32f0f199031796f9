package org.nostrgpu.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live fan-out: {@code --connections} subscriber connections each open {@code --subscriptions} REQs matching every
 * note ({@code {"kinds":[1],"limit":0}}), then one publisher sends corpus events at {@code --rate} events/s. Reports
 * the EVENT frames delivered per second, the relay's CPU per delivered frame (with {@code --relay-pid}), the rate of
 * accepted events and the delay from publishing an event to receiving it (measured on each connection's first
 * subscription). Frames are counted by their bytes, not decoded.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.FanOutLoad ws://127.0.0.1:6969/ --connections 100 \
 *      --subscriptions 20 --rate 50 --warmup 5 --seconds 15 --corpus bench-results/corpus-100000.jsonl --relay-pid PID</pre>
 */
public final class FanOutLoad {
    private static final byte[] EVENT = "[\"EVENT\",\"".getBytes(StandardCharsets.US_ASCII);
    /** Subscription ids are "s<n>"; the first of each connection times deliveries. */
    private static final String TIMED_SUBSCRIPTION = "s0";

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("usage: FanOutLoad ws://host:port/ [--connections C] "
                    + "[--subscriptions S] [--rate EVENTS_PER_S] [--warmup SECONDS] [--seconds SECONDS] "
                    + "[--corpus FILE] [--authors N] [--relay-pid PID]");
        }
        Map<String, String> flags = Flags.parse(args, 1);
        int connections = Flags.intOf(flags, "connections", 100);
        int subscriptions = Flags.intOf(flags, "subscriptions", 20);
        int rate = Flags.intOf(flags, "rate", 50);
        int warmup = Flags.intOf(flags, "warmup", 5);
        int seconds = Flags.intOf(flags, "seconds", 15);
        long relayPid = Flags.intOf(flags, "relay-pid", 0);
        Path corpusFile = flags.containsKey("corpus") ? Path.of(flags.get("corpus")) : null;
        List<String> corpus = Corpus.loadOrGenerate(corpusFile, rate * (warmup + seconds + 5),
                Flags.intOf(flags, "authors", 100));
        Vertx vertx = Vertx.vertx();
        try {
            System.out.println(run(vertx, args[0], connections, subscriptions, rate, warmup, seconds, corpus, relayPid)
                    .describe());
        } finally {
            vertx.close().await();
        }
    }

    /** What one run measured; relay CPU is negative without a relay pid. */
    public record Result(int connections, int subscriptions, int rate, int seconds, int warmupSeconds,
                         double acceptedPerSecond, double framesPerSecond, double relayCpuMicrosPerFrame,
                         double relaySystemMicrosPerFrame, double relayCores, double ownCpuMicrosPerFrame, long timedDeliveries, String latency,
                         String relayCpuByThread) {
        public String describe() {
            String relay = relayCpuMicrosPerFrame < 0 ? "" : String.format(
                    "relay CPU %.2f us per delivered frame (%.2f of it in the kernel; %.2f cores); ",
                    relayCpuMicrosPerFrame, relaySystemMicrosPerFrame, relayCores);
            return String.format("fan-out: %d connections x %d subscriptions, publishing %d events/s for %d s after "
                            + "%d s of warm-up%n"
                            + "accepted %.1f events/s; delivered %.0f EVENT frames/s (%.1f%% of accepted x subscriptions)%n"
                            + "%sload tool %.2f us per frame; load average %s%n%s"
                            + "delivery delay (publish -> EVENT frame, %d timed): %s",
                    connections, subscriptions, rate, seconds, warmupSeconds, acceptedPerSecond, framesPerSecond,
                    100.0 * framesPerSecond / Math.max(1e-9, acceptedPerSecond * connections * subscriptions), relay,
                    ownCpuMicrosPerFrame, QueryLoad.LoadAverage.read(),
                    relayCpuByThread.isEmpty() ? "" : relayCpuByThread + System.lineSeparator(), timedDeliveries,
                    latency);
        }
    }

    /** Runs the load and says what it measured. */
    public static Result run(Vertx vertx, String url, int connections, int subscriptions, int rate, int warmupSeconds,
                             int seconds, List<String> corpus, long relayPid) throws InterruptedException {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 22)
                .setMaxFrameSize(1 << 22).setMaxConnections(connections + 1));
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Subscriber> subscribers = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) {
                Subscriber subscriber = new Subscriber(RelaySocket.open(vertx, client, url), sentAt);
                subscriber.subscribe(subscriptions).await();
                subscribers.add(subscriber);
            }
            Publisher publisher = new Publisher(RelaySocket.open(vertx, client, url), corpus, rate, sentAt);
            publisher.start();
            Thread.sleep(warmupSeconds * 1000L);
            subscribers.forEach(Subscriber::startTiming);
            long framesBefore = delivered(subscribers);
            long acceptedBefore = publisher.accepted.get();
            long[] relayBefore = relayPid > 0 ? CpuClock.processUserSystemNanos(relayPid) : new long[2];
            Map<String, Long> relayThreadsBefore = ThreadCpu.snapshot(relayPid);
            long ownBefore = CpuClock.ownNanos();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long frames = delivered(subscribers) - framesBefore;
            long accepted = publisher.accepted.get() - acceptedBefore;
            double wall = (System.nanoTime() - start) / 1e9;
            long[] relayAfter = relayPid > 0 ? CpuClock.processUserSystemNanos(relayPid) : null;
            Map<String, Long> relayThreadsAfter = ThreadCpu.snapshot(relayPid);
            long relayCpu = relayAfter == null ? -1 : relayAfter[0] + relayAfter[1] - relayBefore[0] - relayBefore[1];
            long relaySystem = relayAfter == null ? 0 : relayAfter[1] - relayBefore[1];
            long ownCpu = CpuClock.ownNanos() - ownBefore;
            publisher.stop();
            Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
            subscribers.forEach(subscriber -> subscriber.addLatencies(latency));
            return new Result(connections, subscriptions, rate, seconds, warmupSeconds, accepted / wall, frames / wall,
                    relayCpu < 0 ? -1 : relayCpu / 1e3 / Math.max(1, frames),
                    relayCpu < 0 ? -1 : relaySystem / 1e3 / Math.max(1, frames), relayCpu / 1e9 / wall,
                    ownCpu / 1e3 / Math.max(1, frames), latency.getTotalCount(), LatencyReport.of(latency),
                    ThreadCpu.perUnit(relayThreadsBefore, relayThreadsAfter, frames, "delivered frame"));
        } finally {
            for (Subscriber subscriber : subscribers) {
                subscriber.socket.close();
            }
            client.close().await();
        }
    }

    private static long delivered(List<Subscriber> subscribers) {
        long total = 0;
        for (Subscriber subscriber : subscribers) {
            total += subscriber.frames.get();
        }
        return total;
    }

    /** One connection with its subscriptions; counts their EVENT frames and times those of the first. */
    private static final class Subscriber {
        final WebSocket socket;
        final Context context;
        final Map<String, Long> sentAt;
        final AtomicLong frames = new AtomicLong();
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        final byte[] timedPrefix;
        volatile boolean timing;
        Promise<Void> subscribed;
        int eoseToCome;

        Subscriber(RelaySocket connected, Map<String, Long> sentAt) {
            this.socket = connected.socket();
            this.context = connected.context();
            this.sentAt = sentAt;
            this.timedPrefix = ("[\"EVENT\",\"" + TIMED_SUBSCRIPTION + "\",{\"id\":\"").getBytes(StandardCharsets.US_ASCII);
        }

        io.vertx.core.Future<Void> subscribe(int count) {
            Promise<Void> done = Promise.promise();
            context.runOnContext(v -> {
                subscribed = done;
                eoseToCome = count;
                socket.frameHandler(this::onFrame);
                for (int s = 0; s < count; s++) {
                    socket.writeTextMessage("[\"REQ\",\"s" + s + "\",{\"kinds\":[1],\"limit\":0}]");
                }
            });
            return done.future();
        }

        void startTiming() {
            timing = true;
        }

        private void onFrame(WebSocketFrame frame) {
            Buffer data = frame.binaryData();
            if (RelaySocket.startsWith(data, EVENT)) {
                frames.incrementAndGet();
                if (timing && RelaySocket.startsWith(data, timedPrefix)) {
                    String id = data.getString(timedPrefix.length, timedPrefix.length + 64, "US-ASCII");
                    Long sent = sentAt.get(id);
                    if (sent != null) {
                        latency.recordValue(Math.min((System.nanoTime() - sent) / 1000, latency.getHighestTrackableValue()));
                    }
                }
            } else if (eoseToCome > 0 && data.toString(StandardCharsets.UTF_8).startsWith("[\"EOSE\"")) {
                if (--eoseToCome == 0) {
                    subscribed.complete();
                }
            } else if (data.toString(StandardCharsets.UTF_8).startsWith("[\"CLOSED\"")) {
                System.err.println("subscription closed by the relay: " + data);
            }
        }

        void addLatencies(Histogram into) {
            Promise<Void> added = Promise.promise();
            context.runOnContext(v -> {
                into.add(latency);
                added.complete();
            });
            added.future().await();
        }
    }

    /** Sends corpus events at a fixed rate (every 10 ms, the events due by then) and counts OK true answers. */
    private static final class Publisher {
        final WebSocket socket;
        final Context context;
        final List<String> corpus;
        final int rate;
        final Map<String, Long> sentAt;
        final AtomicLong accepted = new AtomicLong();
        long timer = -1;
        long startNanos;
        int next;

        Publisher(RelaySocket connected, List<String> corpus, int rate, Map<String, Long> sentAt) {
            this.socket = connected.socket();
            this.context = connected.context();
            this.corpus = corpus;
            this.rate = rate;
            this.sentAt = sentAt;
        }

        void start() {
            context.runOnContext(v -> {
                socket.textMessageHandler(message -> {
                    if (message.startsWith("[\"OK\"") && message.contains("\",true,")) {
                        accepted.incrementAndGet();
                    }
                });
                startNanos = System.nanoTime();
                timer = context.owner().setPeriodic(10, id -> publishDue());
            });
        }

        private void publishDue() {
            long due = (System.nanoTime() - startNanos) * rate / 1_000_000_000L;
            while (next < due && next < corpus.size()) {
                String event = corpus.get(next++);
                sentAt.put(event.substring(7, 71), System.nanoTime());
                socket.writeTextMessage("[\"EVENT\"," + event + "]");
            }
        }

        void stop() {
            context.runOnContext(v -> context.owner().cancelTimer(timer));
        }
    }
}
