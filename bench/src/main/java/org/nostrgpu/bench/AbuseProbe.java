package org.nostrgpu.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import org.HdrHistogram.Histogram;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Attacks a running relay the way the hardening issue found it weak, and prints what the relay did: its memory
 * (resident set and Java heap), other clients' OK latency, how many connections it kept. For before/after figures:
 * run it against the relay built before and after a change, started the same way.
 *
 * <pre>
 * java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.AbuseProbe slow-reader ws://127.0.0.1:6969/ --relay-pid PID [--seconds 38] [--stored 500]
 * java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.AbuseProbe fairness ws://127.0.0.1:6969/ [--flood 20000]
 * java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.AbuseProbe connections ws://127.0.0.1:6969/ [--idle 2000] [--upgrades 1000] [--seconds 40]
 * java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.AbuseProbe expensive-queries ws://127.0.0.1:6969/ [--stored 20000] [--attackers 50] [--values 1000] [--seconds 20] [--victim-address 127.0.0.2]
 * </pre>
 *
 * <ul>
 *   <li>{@code slow-reader}: stores events of about 900 bytes, then one client that never reads its socket sends
 *       {@code ["REQ","xN",{"kinds":[1]}]} (20 rotating ids) 100 times a second; the relay's memory every second.</li>
 *   <li>{@code fairness}: another client's OK latency, one event at a time, alone and while one connection floods
 *       the relay with events sent without waiting.</li>
 *   <li>{@code expensive-queries}: {@code --attackers} connections each keep one REQ of {@code --values} random
 *       authors (or {@code #e} values, alternating) running, none of which match; meanwhile another client's
 *       {@code {"kinds":[1],"limit":10}} REQs are timed.</li>
 *   <li>{@code connections}: idle WebSocket connections and unfinished HTTP upgrades from this one address: how many
 *       the relay accepted, and how many it still holds after {@code --seconds}.</li>
 * </ul>
 */
public final class AbuseProbe {
    private static final String CONTENT = "x".repeat(900);

    private AbuseProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: AbuseProbe slow-reader|fairness|connections ws://HOST:PORT/ [--name value ...]");
            System.exit(2);
        }
        Map<String, String> flags = Flags.parse(args, 2);
        Vertx vertx = Vertx.vertx();
        try {
            switch (args[0]) {
                case "slow-reader" -> slowReader(vertx, args[1], flags);
                case "fairness" -> fairness(vertx, args[1], flags);
                case "connections" -> connections(vertx, args[1], flags);
                case "expensive-queries" -> expensiveQueries(vertx, args[1], flags);
                default -> throw new IllegalArgumentException("unknown probe " + args[0]);
            }
        } finally {
            vertx.close().await();
        }
    }

    private static void slowReader(Vertx vertx, String url, Map<String, String> flags) throws Exception {
        long pid = Long.parseLong(flags.get("relay-pid"));
        int seconds = Flags.intOf(flags, "seconds", 38);
        int stored = Flags.intOf(flags, "stored", 500);
        WebSocketConnectOptions target = RelayUrl.parse(url);
        List<String> corpus = new ArrayList<>();
        EventSigner author = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < stored; i++) {
            corpus.add(author.sign(now - i, 1, List.of(), i + CONTENT).toJson());
        }
        IngestLoad.Result ingest = IngestLoad.run(vertx, url, 4, 64, 120, corpus);
        System.out.printf("stored %d events of ~%d bytes (%d accepted)%n", stored, CONTENT.length() + 300,
                ingest.accepted());
        printMemory("before", pid, target);

        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 24));
        WebSocket socket = client.connect(target).await(10, TimeUnit.SECONDS);
        socket.pause(); // never reads: the relay's answers back up
        AtomicBoolean ended = new AtomicBoolean();
        socket.closeHandler(closed -> ended.set(true));
        socket.exceptionHandler(failed -> ended.set(true));
        long start = System.nanoTime();
        long peakRss = 0;
        long peakHeap = 0;
        int sent = 0;
        for (int second = 1; second <= seconds; second++) {
            for (int i = 0; i < 100 && !ended.get(); i++) {
                socket.writeTextMessage("[\"REQ\",\"x" + (sent++ % 20) + "\",{\"kinds\":[1]}]");
                Thread.sleep(10);
            }
            long rss = ProcessMemory.residentBytes(pid);
            long heap = ProcessMemory.heapUsedBytes(target.getHost(), target.getPort());
            peakRss = Math.max(peakRss, rss);
            peakHeap = Math.max(peakHeap, heap);
            System.out.printf("t=%2d s: %5d REQs sent, relay RSS %s, heap %s%s%n", second, sent,
                    ProcessMemory.mib(rss), ProcessMemory.mib(heap), ended.get() ? " (connection ended)" : "");
        }
        System.out.printf("slow reader: %d REQs in %.0f s; relay peak RSS %s, peak heap %s; connection %s%n", sent,
                (System.nanoTime() - start) / 1e9, ProcessMemory.mib(peakRss), ProcessMemory.mib(peakHeap),
                ended.get() ? "ended by the relay" : "still open");
        socket.close();
        printMemory("after the client left", pid, target);
        printGuards(target);
    }

    /** The relay's abuse-limit counters, when it has them. */
    private static void printGuards(WebSocketConnectOptions target) {
        System.out.printf("relay counters: slow readers disconnected %.0f, rate-limited answers %.0f, "
                        + "most unsent output on one connection %s, connections refused %.0f%n",
                ProcessMemory.metric(target.getHost(), target.getPort(), "nostr_relay_slow_readers_disconnected_total"),
                ProcessMemory.metric(target.getHost(), target.getPort(), "nostr_relay_rate_limited_total"),
                ProcessMemory.mib((long) ProcessMemory.metric(target.getHost(), target.getPort(),
                        "nostr_relay_outbound_pending_highest_bytes")),
                ProcessMemory.metric(target.getHost(), target.getPort(), "nostr_relay_connections_refused_total"));
    }

    private static void printMemory(String when, long pid, WebSocketConnectOptions target) {
        System.out.printf("relay memory %s: RSS %s, heap %s%n", when, ProcessMemory.mib(ProcessMemory.residentBytes(pid)),
                ProcessMemory.mib(ProcessMemory.heapUsedBytes(target.getHost(), target.getPort())));
    }

    private static void fairness(Vertx vertx, String url, Map<String, String> flags) throws Exception {
        int floodSize = Flags.intOf(flags, "flood", 20_000);
        WebSocketConnectOptions target = RelayUrl.parse(url);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 24));
        Publisher other = new Publisher(client.connect(target).await(10, TimeUnit.SECONDS));
        EventSigner otherAuthor = EventSigner.random();
        Histogram alone = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        for (int i = 0; i < 100; i++) {
            alone.recordValue(other.publishAndWait(otherAuthor.sign(System.currentTimeMillis() / 1000, 1, List.of(),
                    "alone " + i)));
        }
        System.out.println("another publisher's OK latency alone: " + LatencyReport.of(alone));

        EventSigner spammer = EventSigner.random();
        List<String> flood = new ArrayList<>(floodSize);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < floodSize; i++) {
            flood.add("[\"EVENT\"," + spammer.sign(now, 1, List.of(), "flood " + i).toJson() + "]");
        }
        WebSocket spam = client.connect(target).await(10, TimeUnit.SECONDS);
        AtomicInteger floodAnswered = new AtomicInteger();
        spam.textMessageHandler(frame -> floodAnswered.incrementAndGet());
        long floodStart = System.nanoTime();
        for (String frame : flood) {
            spam.writeTextMessage(frame);
        }
        Histogram during = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        int i = 0;
        while (floodAnswered.get() < floodSize && System.nanoTime() - floodStart < TimeUnit.MINUTES.toNanos(5)) {
            during.recordValue(other.publishAndWait(otherAuthor.sign(System.currentTimeMillis() / 1000, 1, List.of(),
                    "during the flood " + i++)));
            Thread.sleep(20);
        }
        System.out.printf("flood of %d events from one connection answered in %.1f s%n", floodSize,
                (System.nanoTime() - floodStart) / 1e9);
        System.out.println("another publisher's OK latency during the flood (" + during.getTotalCount()
                + " events): " + LatencyReport.of(during));
        printGuards(target);
    }

    private static void connections(Vertx vertx, String url, Map<String, String> flags) throws Exception {
        int idle = Flags.intOf(flags, "idle", 2_000);
        int upgrades = Flags.intOf(flags, "upgrades", 1_000);
        int seconds = Flags.intOf(flags, "seconds", 40);
        WebSocketConnectOptions target = RelayUrl.parse(url);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(idle + 10));
        AtomicInteger open = new AtomicInteger();
        int accepted = 0;
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < idle; i++) {
            try {
                WebSocket socket = client.connect(target).await(10, TimeUnit.SECONDS);
                open.incrementAndGet();
                socket.closeHandler(closed -> open.decrementAndGet());
                sockets.add(socket);
                accepted++;
            } catch (Exception refused) {
                // counted as not accepted
            }
        }
        List<Socket> halfOpen = new ArrayList<>();
        for (int i = 0; i < upgrades; i++) {
            try {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: " + target.getHost() + "\r\nUpgrade: websocket\r\n")
                        .getBytes(StandardCharsets.US_ASCII)); // never finished
                out.flush();
                halfOpen.add(socket);
            } catch (IOException refused) {
                // not accepted
            }
        }
        System.out.printf("idle WebSocket connections: %d of %d accepted; unfinished upgrades: %d of %d sent%n",
                accepted, idle, halfOpen.size(), upgrades);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        int halfOpenHeld = 0;
        for (Socket socket : halfOpen) {
            if (stillHeld(socket)) {
                halfOpenHeld++;
            }
            socket.close();
        }
        System.out.printf("after %d s: %d idle connections still open, %d unfinished upgrades still held%n", seconds,
                open.get(), halfOpenHeld);
        sockets.forEach(WebSocket::close);
        printGuards(target);
    }

    /** True when the relay has neither closed nor reset the connection (a read would still wait). */
    private static boolean stillHeld(Socket socket) {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() >= 0;
        } catch (java.net.SocketTimeoutException waiting) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static void expensiveQueries(Vertx vertx, String url, Map<String, String> flags) throws Exception {
        int stored = Flags.intOf(flags, "stored", 20_000);
        int attackers = Flags.intOf(flags, "attackers", 50);
        int values = Flags.intOf(flags, "values", 1_000);
        int seconds = Flags.intOf(flags, "seconds", 20);
        IngestLoad.Result ingest = IngestLoad.run(vertx, url, 4, 64, 300, Corpus.generate(stored, 1_000));
        System.out.printf("stored %d events by 1000 authors%n", ingest.accepted());
        WebSocketConnectOptions target = RelayUrl.parse(url);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(attackers + 10).setMaxMessageSize(1 << 24));
        Histogram attack = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) + TimeUnit.SECONDS.toNanos(attackers / 10);
        for (int a = 0; a < attackers; a++) {
            WebSocket socket = client.connect(target).await(10, TimeUnit.SECONDS);
            String field = a % 2 == 0 ? "authors" : "#e";
            long[] sent = new long[1];
            Runnable ask = () -> {
                JsonArray randomValues = new JsonArray();
                for (int v = 0; v < values; v++) {
                    randomValues.add(randomHex32());
                }
                sent[0] = System.nanoTime();
                socket.writeTextMessage("[\"REQ\",\"attack\",{\"" + field + "\":" + randomValues.encode() + "}]");
            };
            socket.textMessageHandler(frame -> {
                JsonArray message = new JsonArray(frame);
                String type = message.getString(0);
                if (type.equals("EOSE") || type.equals("CLOSED")) {
                    synchronized (attack) {
                        attack.recordValue((System.nanoTime() - sent[0]) / 1_000);
                    }
                    String outcome = type.equals("EOSE") ? "EOSE" : "CLOSED " + message.getString(2)
                            .replaceAll(" \\(.*", "");
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    if (System.nanoTime() < end) {
                        vertx.setTimer(1, t -> ask.run());
                    }
                }
            });
            ask.run();
        }
        // the other client may come from another loopback address (--victim-address 127.0.0.2), as a real one would
        WebSocketClient victimClient = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setLocalAddress(flags.getOrDefault("victim-address", null)));
        WebSocket victim = victimClient.connect(target).await(10, TimeUnit.SECONDS);
        Histogram other = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        java.util.concurrent.BlockingQueue<Long> eose = new java.util.concurrent.LinkedBlockingQueue<>();
        victim.textMessageHandler(frame -> {
            if (frame.startsWith("[\"EOSE\"") || frame.startsWith("[\"CLOSED\"")) {
                eose.add(System.nanoTime());
            }
        });
        int n = 0;
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            victim.writeTextMessage("[\"REQ\",\"v" + (n++ % 10) + "\",{\"kinds\":[1],\"limit\":10}]");
            Long done = eose.poll(120, TimeUnit.SECONDS);
            other.recordValue(((done == null ? System.nanoTime() : done) - sent) / 1_000);
            Thread.sleep(100);
        }
        Thread.sleep(3_000); // the attackers' last answers
        System.out.printf("%d attackers, REQs of %d random values: %d answered, %s; %s%n", attackers, values,
                attack.getTotalCount(), LatencyReport.of(attack), outcomes);
        System.out.println("another client's REQ {kinds:[1],limit:10} meanwhile (" + other.getTotalCount()
                + " REQs): " + LatencyReport.of(other));
    }

    /** 64 random lowercase hex characters: an id or pubkey nothing stored has. */
    private static String randomHex32() {
        byte[] bytes = new byte[32];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        StringBuilder hex = new StringBuilder(64);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** One connection that publishes one event at a time and times its OK. */
    private static final class Publisher {
        private final WebSocket socket;
        private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();

        Publisher(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(frame -> {
                JsonArray message = new JsonArray(frame);
                if ("OK".equals(message.getString(0))) {
                    CompletableFuture<Long> ok = waiting.remove(message.getString(1));
                    if (ok != null) {
                        ok.complete(System.nanoTime());
                    }
                }
            });
        }

        /** Microseconds from sending the event to its OK. */
        long publishAndWait(Event event) throws Exception {
            CompletableFuture<Long> ok = new CompletableFuture<>();
            waiting.put(event.id(), ok);
            long sent = System.nanoTime();
            socket.writeTextMessage("[\"EVENT\"," + event.toJson() + "]");
            return (ok.get(120, TimeUnit.SECONDS) - sent) / 1_000;
        }
    }
}
