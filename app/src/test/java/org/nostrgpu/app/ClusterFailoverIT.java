package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.app.NostrSocket.Ok;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two relays and one verification worker as separate JVMs started from the built jar, clustered through Hazelcast
 * on loopback. A steady stream of signed events (every fifth signature corrupted) goes to both relays; halfway
 * through, the worker is killed with SIGKILL. Then: every event got an OK, valid ones true and invalid ones
 * {@code invalid:}; answers kept coming within a bound through the relays' CPU fallback; every accepted event is
 * stored on both relays (its own and, by replication, the other); no invalid event is stored anywhere. Then a
 * new worker process joins and the relays send their signatures to it again; stopped with SIGTERM in the middle of
 * another stream, it leaves cleanly and again no event is lost or waits beyond the bound. Last, both relays stop
 * cleanly on SIGTERM.
 *
 * <p>Children's output: {@code target/it-logs/*.log}. All children are killed by {@link ChildProcesses} after the
 * tests, also when they fail.
 */
class ClusterFailoverIT {
    private static final int EVENTS_PER_RELAY = 2_000;
    /** 10 events every 25 ms: 400 events/s to each relay, the stream lasts about 5 s. */
    private static final int BURST = 10;
    private static final long BURST_INTERVAL_MS = 25;
    private static final int INVALID_EVERY = 5;
    /** The relays' verification request timeout: after it, a request's events go to the CPU fallback. */
    private static final long VERIFY_TIMEOUT_MS = 2_000;
    /** Longest a client may wait for an OK, also right after the kill (timeout plus room for two busy cores). */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(15);
    private static final Duration START_BOUND = Duration.ofSeconds(90);
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(60);
    private static final String RELAY_VERDICTS = "nostr_relay_verify_verdicts_total";
    private static final String RELAY_FALLBACKS = "nostr_relay_verify_fallbacks_total";

    @RegisterExtension
    static final ChildProcesses CHILDREN = new ChildProcesses();
    /** Children this test stopped on purpose: their exit is no failure. */
    private static final Set<ChildJvm> STOPPED = ConcurrentHashMap.newKeySet();
    private static final List<EventSigner> SIGNERS =
            List.of(EventSigner.random(), EventSigner.random(), EventSigner.random());
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    static Path work;

    private static String members;
    private static Relay relayA;
    private static Relay relayB;
    private static Worker worker;

    private record Relay(String name, ChildJvm jvm, int port) {
    }

    private record Worker(ChildJvm jvm, int healthPort, int clusterPort) {
    }

    /** An event and whether its signature is valid. */
    private record Planned(Event event, boolean valid) {
    }

    /** An event sent to a relay, when, and its OK. */
    private record Published(Planned planned, String relay, long sentNanos, CompletableFuture<Ok> ok) {
        String id() {
            return planned.event().id();
        }
    }

    @BeforeAll
    static void startClusterOfTwoRelaysAndOneWorker() throws Exception {
        int clusterA = FreePorts.next();
        int clusterB = FreePorts.next();
        int clusterW = FreePorts.next();
        members = "127.0.0.1:" + clusterA + ",127.0.0.1:" + clusterB + ",127.0.0.1:" + clusterW;
        Path relayConfig = work.resolve("relay.yaml");
        Files.writeString(relayConfig, """
                event-loops: 1
                verifier-threads: 1
                read-pool-size: 2
                limits:
                  max-events-per-second-per-connection: 0
                  max-events-per-second-per-ip: 0
                verification:
                  timeout-ms: %d
                """.formatted(VERIFY_TIMEOUT_MS));

        relayA = startRelay("relay-a", clusterA, relayConfig);
        relayB = startRelay("relay-b", clusterB, relayConfig);
        worker = startWorker("worker", clusterW);

        awaitTrue(START_BOUND, "relay-a answers NIP-11", () -> HttpProbe.relayInfo(relayA.port()).isPresent());
        awaitTrue(START_BOUND, "relay-b answers NIP-11", () -> HttpProbe.relayInfo(relayB.port()).isPresent());
        awaitTrue(START_BOUND, "the worker's /health is UP", () -> healthy(worker));
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void killedWorkerLosesNoEventRelaysFallBackAndARestartedWorkerIsUsedAgain() throws Exception {
        long testStart = System.nanoTime();
        List<Published> all = new CopyOnWriteArrayList<>();
        try (NostrSocket socketA = NostrSocket.open("relay-a", relayA.port());
             NostrSocket socketB = NostrSocket.open("relay-b", relayB.port())) {

            // 1. both relays send their signatures to the worker (the cluster has formed, subscriptions spread)
            all.addAll(awaitWorkerPath(relayA, socketA));
            all.addAll(awaitWorkerPath(relayB, socketB));
            long batchedBeforeStream = workerHealthCounter(worker, "eventsBatched");

            // 2. a steady stream to both relays; SIGKILL the worker in the middle of it
            AtomicLong batchedAtKill = new AtomicLong();
            Stream killed = stream(socketA, socketB, EVENTS_PER_RELAY, "worker killed (SIGKILL)", () -> {
                batchedAtKill.set(workerHealthCounter(worker, "eventsBatched"));
                STOPPED.add(worker.jvm());
                worker.jvm().kill();
            });
            all.addAll(killed.published());
            log("before the kill the worker had verified " + (batchedAtKill.get() - batchedBeforeStream)
                    + " of the stream's events");
            assertTrue(batchedAtKill.get() > batchedBeforeStream,
                    "the worker verified none of the stream's events before the kill");

            // 3. the answers: one per event, right verdicts, within the bound also after the kill
            assertRightAnswers(all);
            killed.assertAnsweredWithinBound();
            for (Relay relay : List.of(relayA, relayB)) {
                double fallbackVerdicts = relayVerdicts(relay, "cpu_fallback");
                logVerificationPaths(relay);
                assertTrue(fallbackVerdicts > 0, relay.name() + " never used its CPU fallback after the kill");
            }

            // 4. storage: accepted events on both relays, invalid ones nowhere
            assertStoredCorrectly(all);

            // 5. a new worker process joins; both relays use it again
            Worker restarted = startWorker("worker-restarted", FreePorts.next());
            awaitTrue(START_BOUND, "the restarted worker's /health is UP", () -> healthy(restarted));
            List<Published> afterRestart = new ArrayList<>();
            afterRestart.addAll(awaitWorkerPath(relayA, socketA));
            afterRestart.addAll(awaitWorkerPath(relayB, socketB));
            long batchedByRestarted = workerHealthCounter(restarted, "eventsBatched");
            log("restarted worker verified " + batchedByRestarted + " events");
            assertTrue(batchedByRestarted > 0, "the restarted worker verified nothing");
            assertRightAnswers(afterRestart);
            all.addAll(afterRestart);

            // 6. SIGTERM on the restarted worker under load: it stops cleanly, no event is lost or waits long
            Stream terminated = stream(socketA, socketB, EVENTS_PER_RELAY / 4, "worker stopped (SIGTERM)", () -> {
                STOPPED.add(restarted.jvm());
                restarted.jvm().terminate(Duration.ofSeconds(30));
            });
            assertStoppedCleanly(restarted.jvm());
            all.addAll(terminated.published());
            assertRightAnswers(terminated.published());
            terminated.assertAnsweredWithinBound();
            logVerificationPaths(relayA);
            logVerificationPaths(relayB);
            assertStoredCorrectly(all);

            // 7. SIGTERM: both relays stop cleanly
            for (ChildJvm relay : List.of(relayA.jvm(), relayB.jvm())) {
                STOPPED.add(relay);
                relay.terminate(Duration.ofSeconds(30));
                assertStoppedCleanly(relay);
            }
        }
        log("the whole scenario took " + millisSince(testStart) + " ms (" + all.size() + " events)");
    }

    /**
     * Streams {@code perRelay} fresh events to each relay at a steady pace, runs {@code midway} once half of them
     * are sent, and returns when every event has its OK.
     */
    private static Stream stream(NostrSocket socketA, NostrSocket socketB, int perRelay, String what,
                                 ThrowingRunnable midway) throws Exception {
        SteadyPublisher publisherA = new SteadyPublisher(relayA.name(), socketA, plan(perRelay));
        SteadyPublisher publisherB = new SteadyPublisher(relayB.name(), socketB, plan(perRelay));
        long start = System.nanoTime();
        publisherA.start();
        publisherB.start();
        awaitTrue(Duration.ofSeconds(30), "half the stream sent",
                () -> publisherA.sent.get() >= perRelay / 2 && publisherB.sent.get() >= perRelay / 2);
        int sentA = publisherA.sent.get();
        int sentB = publisherB.sent.get();
        long cut = System.nanoTime();
        midway.run();
        log(what + " after " + sentA + " + " + sentB + " of " + 2 * perRelay + " events sent");
        publisherA.finish();
        publisherB.finish();
        List<Published> published = new ArrayList<>(publisherA.published);
        published.addAll(publisherB.published);
        awaitAnswers(published);
        log("stream of " + published.size() + " events: every OK within " + millisSince(start) + " ms of its start");
        return new Stream(what, publisherA.published, publisherB.published, cut);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** One stream's events per relay, and when its midway action ran. */
    private record Stream(String what, List<Published> toA, List<Published> toB, long cutNanos) {
        List<Published> published() {
            List<Published> all = new ArrayList<>(toA);
            all.addAll(toB);
            return all;
        }

        /** Every OK came within {@link #ANSWER_BOUND} of its EVENT, also for the events sent after the cut. */
        void assertAnsweredWithinBound() {
            assertWithinBound(toA);
            assertWithinBound(toB);
        }

        private void assertWithinBound(List<Published> stream) {
            long maxBefore = 0;
            long maxAfter = 0;
            int afterCut = 0;
            for (Published event : stream) {
                long latency = event.ok().join().receivedNanos() - event.sentNanos();
                if (event.sentNanos() >= cutNanos) {
                    afterCut++;
                    maxAfter = Math.max(maxAfter, latency);
                } else {
                    maxBefore = Math.max(maxBefore, latency);
                }
            }
            log(stream.get(0).relay() + ": longest wait for an OK " + TimeUnit.NANOSECONDS.toMillis(maxBefore)
                    + " ms for events sent before \"" + what + "\", " + TimeUnit.NANOSECONDS.toMillis(maxAfter)
                    + " ms for the " + afterCut + " sent after it");
            assertTrue(afterCut > 0, "no event was sent after: " + what);
            assertTrue(Math.max(maxBefore, maxAfter) <= ANSWER_BOUND.toNanos(), "an OK took longer than "
                    + ANSWER_BOUND + " around \"" + what + "\": "
                    + TimeUnit.NANOSECONDS.toMillis(Math.max(maxBefore, maxAfter)) + " ms");
        }
    }

    // ---- children

    private static Relay startRelay(String name, int clusterPort, Path config) throws Exception {
        int port = FreePorts.next();
        ChildJvm jvm = CHILDREN.start(name, List.of("relay",
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--data", work.resolve(name).toString(), "--config", config.toString(),
                "--cluster", "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(clusterPort),
                "--cluster-members", members,
                "--verification", "cluster", "--verification-fallback", "cpu"));
        return new Relay(name, jvm, port);
    }

    /** A CPU worker; its cluster options alone (no --cluster flag) put it in cluster mode. */
    private static Worker startWorker(String name, int clusterPort) throws Exception {
        int healthPort = FreePorts.next();
        ChildJvm jvm = CHILDREN.start(name, List.of("worker",
                "--backend", "cpu", "--cpu-threads", "1",
                "--health-host", "127.0.0.1", "--health-port", Integer.toString(healthPort),
                "--cluster-port", Integer.toString(clusterPort),
                "--cluster-members", members.contains(":" + clusterPort) ? members
                        : members + ",127.0.0.1:" + clusterPort));
        return new Worker(jvm, healthPort, clusterPort);
    }

    private static boolean healthy(Worker worker) {
        return HttpProbe.workerHealth(worker.healthPort())
                .map(health -> "UP".equals(health.getString("status")))
                .orElse(false);
    }

    private static long workerHealthCounter(Worker worker, String counter) {
        JsonObject health = HttpProbe.workerHealth(worker.healthPort())
                .orElseThrow(() -> new AssertionError(worker.jvm() + " does not answer /health:\n"
                        + worker.jvm().logTail(20)));
        return health.getLong(counter);
    }

    private static void assertStoppedCleanly(ChildJvm child) {
        assertTrue(child.logText().contains("stopped cleanly"),
                child + " did not stop cleanly on SIGTERM:\n" + child.logTail(20));
    }

    private static void logVerificationPaths(Relay relay) {
        String metrics = HttpProbe.metrics(relay.port());
        log(relay.name() + ": verdicts by path " + HttpProbe.byLabel(metrics, RELAY_VERDICTS, "path")
                + "; events sent to the fallback, by cause " + HttpProbe.byLabel(metrics, RELAY_FALLBACKS, "cause"));
    }

    private static double relayVerdicts(Relay relay, String path) {
        return HttpProbe.sum(HttpProbe.metrics(relay.port()), RELAY_VERDICTS, Map.of("path", path));
    }

    // ---- events

    /** {@code count} fresh events, every {@value #INVALID_EVERY}th with a corrupted signature (its id stays right). */
    private static List<Planned> plan(int count) {
        long now = System.currentTimeMillis() / 1000;
        List<Planned> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int sequence = SEQUENCE.incrementAndGet();
            Event signed = SIGNERS.get(sequence % SIGNERS.size())
                    .sign(now, 1, List.of(List.of("t", "cluster-it")), "cluster failover event " + sequence);
            boolean valid = sequence % INVALID_EVERY != 0;
            events.add(new Planned(valid ? signed : RelayChecks.withCorruptedSignature(signed), valid));
        }
        return events;
    }

    /**
     * Publishes small batches to {@code relay} until its metrics show verdicts that came from a worker, i.e. until
     * a worker's verify consumer has reached that relay through the cluster.
     *
     * @return what it published
     */
    private static List<Published> awaitWorkerPath(Relay relay, NostrSocket socket) throws Exception {
        double before = relayVerdicts(relay, "worker");
        List<Published> published = new ArrayList<>();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (relayVerdicts(relay, "worker") <= before) {
            if (System.nanoTime() > deadline) {
                fail(relay.name() + " never sent signatures to a worker within " + START_BOUND + ":\n"
                        + relay.jvm().logTail(30));
            }
            for (Planned planned : plan(INVALID_EVERY)) {
                published.add(new Published(planned, relay.name(), System.nanoTime(), socket.publish(planned.event())));
            }
            awaitAnswers(published);
            Thread.sleep(200);
        }
        return published;
    }

    /** Sends its events at a steady pace on its own thread. */
    private static final class SteadyPublisher extends Thread {
        final List<Published> published = new CopyOnWriteArrayList<>();
        final AtomicInteger sent = new AtomicInteger();
        private final String relay;
        private final NostrSocket socket;
        private final List<Planned> events;
        private volatile Throwable failure;

        SteadyPublisher(String relay, NostrSocket socket, List<Planned> events) {
            super("publisher-" + relay);
            this.relay = relay;
            this.socket = socket;
            this.events = events;
            setDaemon(true);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            try {
                for (int i = 0; i < events.size(); i++) {
                    if (i % BURST == 0) {
                        long due = start + TimeUnit.MILLISECONDS.toNanos((i / BURST) * BURST_INTERVAL_MS);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                    Planned planned = events.get(i);
                    published.add(new Published(planned, relay, System.nanoTime(), socket.publish(planned.event())));
                    sent.incrementAndGet();
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** Waits until everything is sent; fails when sending failed. */
        void finish() throws InterruptedException {
            join(TimeUnit.SECONDS.toMillis(60));
            if (isAlive()) {
                fail(getName() + " still sending after 60 s (" + sent.get() + " sent)");
            }
            if (failure != null) {
                throw new AssertionError(getName() + " failed after " + sent.get() + " events", failure);
            }
        }
    }

    // ---- checks

    private static void awaitAnswers(Collection<Published> published) throws Exception {
        long deadline = System.nanoTime() + DRAIN_BOUND.toNanos();
        for (Published event : published) {
            try {
                event.ok().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                long missing = published.stream().filter(p -> !p.ok().isDone()).count();
                fail(missing + " of " + published.size() + " events got no OK within " + DRAIN_BOUND
                        + " (first: " + event.id() + " sent to " + event.relay() + ")\n" + childLogTails());
            } catch (ExecutionException e) {
                throw new AssertionError("connection to " + event.relay() + " failed", e.getCause());
            }
        }
    }

    /** Valid signatures accepted, corrupted ones refused as {@code invalid:}, one OK each. */
    private static void assertRightAnswers(List<Published> published) {
        List<String> wrong = new ArrayList<>();
        for (Published event : published) {
            Ok ok = event.ok().join();
            boolean right = event.planned().valid() ? ok.accepted()
                    : !ok.accepted() && ok.message().startsWith("invalid: ");
            if (!right) {
                wrong.add(event.relay() + " " + (event.planned().valid() ? "valid" : "invalid") + " " + event.id()
                        + " -> " + ok);
            }
        }
        assertEquals(List.of(), wrong.stream().limit(10).toList(),
                wrong.size() + " of " + published.size() + " events got the wrong OK");
    }

    /**
     * Every accepted event is on the relay that accepted it at once (OK comes after the commit), and on both
     * relays once replication has carried it over; no refused event is stored anywhere.
     */
    private static void assertStoredCorrectly(List<Published> published) throws Exception {
        Set<String> accepted = published.stream().filter(p -> p.ok().join().accepted())
                .map(Published::id).collect(Collectors.toSet());
        Set<String> refused = published.stream().filter(p -> !p.ok().join().accepted())
                .map(Published::id).collect(Collectors.toSet());
        for (Relay relay : List.of(relayA, relayB)) {
            Set<String> own = published.stream()
                    .filter(p -> p.relay().equals(relay.name()) && accepted.contains(p.id()))
                    .map(Published::id).collect(Collectors.toSet());
            Set<String> ownMissing = missingOn(relay, own);
            assertEquals(Set.of(), ownMissing.stream().limit(10).collect(Collectors.toSet()),
                    ownMissing.size() + " events " + relay.name() + " accepted are not stored there");
        }
        long replicationStart = System.nanoTime();
        for (Relay relay : List.of(relayA, relayB)) {
            awaitTrue(Duration.ofSeconds(30), relay.name() + " holds all " + accepted.size() + " accepted events",
                    () -> missingOn(relay, accepted).isEmpty());
            Set<String> storedRefused = storedOf(relay, refused);
            assertEquals(Set.of(), storedRefused, relay.name() + " stored events it or the other relay refused");
        }
        log("both relays hold all " + accepted.size() + " accepted events (replicated within "
                + millisSince(replicationStart) + " ms of the check), none of the " + refused.size() + " refused");
    }

    private static Set<String> missingOn(Relay relay, Set<String> ids) {
        Set<String> missing = new HashSet<>(ids);
        missing.removeAll(storedOf(relay, ids));
        return missing;
    }

    /** Which of {@code ids} the relay returns for an ids filter (queried in chunks under the relay's max limit). */
    private static Set<String> storedOf(Relay relay, Set<String> ids) {
        List<String> all = List.copyOf(ids);
        Set<String> stored = new HashSet<>();
        try (NostrSocket socket = NostrSocket.open(relay.name() + "-query", relay.port())) {
            for (int from = 0; from < all.size(); from += 400) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + 400));
                stored.addAll(socket.queryIds(new JsonObject()
                        .put("ids", new JsonArray(new ArrayList<>(chunk))).put("limit", chunk.size())));
            }
        } catch (Exception e) {
            throw new AssertionError("querying " + relay.name() + " failed", e);
        }
        return stored;
    }

    // ---- waiting and reporting

    /** Polls until {@code condition} holds; fails at the deadline or as soon as a child process has died. */
    private static void awaitTrue(Duration bound, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            for (ChildJvm child : CHILDREN.all()) {
                if (!child.isAlive() && !STOPPED.contains(child)) {
                    fail("waiting for: " + what + ", but " + child + " exited:\n" + child.logTail(40));
                }
            }
            if (System.nanoTime() > deadline) {
                fail("not within " + bound + ": " + what + "\n" + childLogTails());
            }
            Thread.sleep(200);
        }
    }

    private static String childLogTails() {
        StringBuilder tails = new StringBuilder();
        for (ChildJvm child : CHILDREN.all()) {
            tails.append("---- ").append(child).append('\n').append(child.logTail(15)).append('\n');
        }
        return tails.toString();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void log(String line) {
        System.out.println("[ClusterFailoverIT] " + line);
    }
}
