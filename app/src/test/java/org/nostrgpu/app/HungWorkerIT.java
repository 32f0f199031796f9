package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.app.NostrSocket.Ok;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A relay and a verification worker as separate processes from the built jar, clustered on loopback, with the
 * relay's default verification settings. The worker is paused with SIGSTOP (it stays a cluster member, its consumer
 * stays registered, it just never answers) while 40 events arrive on 4 connections: every OK comes well inside
 * nostr-tools' 4.4 s publish timeout with the right answer, every accepted event is stored and no corrupted one is.
 * After SIGCONT the relay sends to the worker again.
 *
 * <p>Before the adaptive deadline and the circuit, the same scenario answered after 10.1 s (two 5 s timeouts in
 * a row). Children's output: {@code target/it-logs/hung-*.log}.
 */
class HungWorkerIT {
    private static final long CLIENT_TIMEOUT_MS = 4_400;
    private static final int CONNECTIONS = 4;
    private static final int EVENTS_PER_CONNECTION = 10;
    private static final String RELAY_VERDICTS = "nostr_relay_verify_verdicts_total";
    private static final long START_BOUND_MS = 90_000;

    @RegisterExtension
    static final ChildProcesses CHILDREN = new ChildProcesses();

    @TempDir
    static Path work;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aPausedWorkerProcessNeverMakesAClientWaitPastItsTimeout() throws Exception {
        int relayCluster = FreePorts.next();
        int workerCluster = FreePorts.next();
        int relayPort = FreePorts.next();
        int healthPort = FreePorts.next();
        String members = "127.0.0.1:" + relayCluster + ",127.0.0.1:" + workerCluster;
        Path relayConfig = work.resolve("relay.yaml");
        Files.writeString(relayConfig, "event-loops: 1\nverifier-threads: 1\nread-pool-size: 2\n");
        ChildJvm relay = CHILDREN.start("hung-relay", List.of("relay",
                "--host", "127.0.0.1", "--port", Integer.toString(relayPort),
                "--data", work.resolve("relay").toString(), "--config", relayConfig.toString(),
                "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(relayCluster),
                "--cluster-members", members, "--verification", "cluster", "--verification-fallback", "cpu"));
        ChildJvm worker = CHILDREN.start("hung-worker", List.of("worker",
                "--backend", "cpu", "--cpu-threads", "1",
                "--health-host", "127.0.0.1", "--health-port", Integer.toString(healthPort),
                "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(workerCluster),
                "--cluster-members", members));
        awaitTrue("the relay answers NIP-11", () -> HttpProbe.relayInfo(relayPort).isPresent());
        EventSigner author = EventSigner.random();
        awaitWorkerPath(relayPort, author, "before the pause");

        worker.signal("STOP");
        List<Event> accepted = new ArrayList<>();
        List<Event> corrupted = new ArrayList<>();
        long[] latencies;
        double workerVerdictsBefore = workerVerdicts(relayPort);
        try {
            latencies = publishConcurrently(relayPort, author, accepted, corrupted);
            assertEquals(workerVerdictsBefore, workerVerdicts(relayPort), "the paused worker decided nothing");
        } finally {
            worker.signal("CONT");
        }
        Arrays.sort(latencies);
        long max = latencies[latencies.length - 1];
        log("OK latency with the worker process stopped (SIGSTOP), " + latencies.length + " events on "
                + CONNECTIONS + " connections: p50 " + latencies[latencies.length / 2] + " ms, max " + max + " ms");
        assertTrue(max < CLIENT_TIMEOUT_MS, "an OK took " + max + " ms while the worker was stopped");
        assertStored(relayPort, accepted, corrupted);

        awaitWorkerPath(relayPort, author, "after SIGCONT");
        log("after SIGCONT the relay sends to the worker again");
    }

    /** Every connection sends its events at once; each OK's latency from its own EVENT, in milliseconds. */
    private static long[] publishConcurrently(int port, EventSigner author, List<Event> accepted,
                                              List<Event> corrupted) throws Exception {
        List<NostrSocket> sockets = new ArrayList<>();
        List<long[]> sent = new ArrayList<>();
        List<CompletableFuture<Ok>> oks = new ArrayList<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                sockets.add(NostrSocket.open("hung-client-" + c, port));
            }
            long now = System.currentTimeMillis() / 1000;
            for (int c = 0; c < CONNECTIONS; c++) {
                for (int i = 0; i < EVENTS_PER_CONNECTION; i++) {
                    Event event = author.sign(now, 1, List.of(), "paused worker " + c + "/" + i);
                    boolean corrupt = i % 5 == 4;
                    if (corrupt) {
                        event = withCorruptedSignature(event);
                    }
                    (corrupt ? corrupted : accepted).add(event);
                    sent.add(new long[]{System.nanoTime()});
                    oks.add(sockets.get(c).publish(event));
                }
            }
            Set<String> corruptedIds = new HashSet<>();
            corrupted.forEach(event -> corruptedIds.add(event.id()));
            long[] latencies = new long[oks.size()];
            for (int i = 0; i < oks.size(); i++) {
                Ok ok = oks.get(i).get(30, TimeUnit.SECONDS);
                latencies[i] = TimeUnit.NANOSECONDS.toMillis(ok.receivedNanos() - sent.get(i)[0]);
                boolean shouldRefuse = corruptedIds.contains(ok.eventId());
                assertEquals(!shouldRefuse, ok.accepted(), ok.toString());
                if (shouldRefuse) {
                    assertEquals("invalid: bad signature", ok.message());
                }
            }
            return latencies;
        } finally {
            sockets.forEach(NostrSocket::close);
        }
    }

    private static void assertStored(int port, List<Event> accepted, List<Event> corrupted) throws Exception {
        List<String> ids = new ArrayList<>();
        accepted.forEach(event -> ids.add(event.id()));
        corrupted.forEach(event -> ids.add(event.id()));
        Set<String> stored;
        try (NostrSocket socket = NostrSocket.open("hung-query", port)) {
            stored = new HashSet<>(socket.queryIds(new JsonObject().put("ids", new JsonArray(ids)).put("limit", ids.size())));
        }
        for (Event event : accepted) {
            assertTrue(stored.contains(event.id()), "an acknowledged event is not stored: " + event.content());
        }
        for (Event event : corrupted) {
            assertTrue(!stored.contains(event.id()), "an event with a bad signature is stored: " + event.content());
        }
        log("all " + accepted.size() + " acknowledged events stored, none of the " + corrupted.size() + " corrupted");
    }

    /** Publishes until the relay's metrics show a verdict decided by a worker. */
    private static void awaitWorkerPath(int port, EventSigner author, String label) throws Exception {
        double before = workerVerdicts(port);
        try (NostrSocket socket = NostrSocket.open("hung-probe", port)) {
            awaitTrue("the relay sends signatures to the worker " + label, () -> {
                Event event = author.sign(System.currentTimeMillis() / 1000, 1, List.of(), label + " " + System.nanoTime());
                try {
                    assertTrue(socket.publish(event).get(30, TimeUnit.SECONDS).accepted());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return workerVerdicts(port) > before;
            });
        }
    }

    private static double workerVerdicts(int port) {
        return HttpProbe.sum(HttpProbe.metrics(port), RELAY_VERDICTS, Map.of("path", "worker"));
    }

    private static Event withCorruptedSignature(Event event) {
        String sig = event.sig();
        char last = sig.charAt(sig.length() - 1);
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(),
                sig.substring(0, sig.length() - 1) + (last == '0' ? '1' : '0'));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_BOUND_MS;
        while (!condition.getAsBoolean()) {
            for (ChildJvm child : CHILDREN.all()) {
                if (!child.isAlive()) {
                    fail("waiting for: " + what + ", but " + child + " exited:\n" + child.logTail(40));
                }
            }
            if (System.currentTimeMillis() > deadline) {
                StringBuilder tails = new StringBuilder();
                CHILDREN.all().forEach(child -> tails.append("---- ").append(child).append('\n').append(child.logTail(15)));
                fail("not within " + START_BOUND_MS + " ms: " + what + "\n" + tails);
            }
            Thread.sleep(200);
        }
    }

    private static void log(String line) {
        System.out.println("[HungWorkerIT] " + line);
    }
}
