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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two relays and one CPU worker as separate JVMs from the built jar, clustered on loopback, inspected from outside:
 * {@code inspect --once --json} (a fourth JVM that joins the cluster) must report every member with its role and
 * backend, and exactly the counts a known publish adds; {@code /status} on a relay, loaded in a real headless
 * Chromium, must show the members and receive the counters and chart points of events published while it is open
 * (a screenshot is kept as {@code target/it-logs/status-page.png}).
 */
class InspectClusterIT {
    private static final Duration START_BOUND = Duration.ofSeconds(90);
    private static final String RELAY_VERDICTS = "nostr_relay_verify_verdicts_total";
    @RegisterExtension
    static final ChildProcesses CHILDREN = new ChildProcesses();
    private static final EventSigner ALICE = EventSigner.random();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    static Path work;

    private static Path jar;
    private static Path logDir;
    private static String members;
    private static int relayAPort;
    private static int relayBPort;
    private static int workerHealthPort;
    private static ChildJvm relayA;
    private static ChildJvm relayB;

    @BeforeAll
    static void startClusterOfTwoRelaysAndOneWorker() throws Exception {
        jar = ChildJvm.packagedJar();
        logDir = ChildJvm.logDir();
        int clusterA = FreePorts.next();
        int clusterB = FreePorts.next();
        int clusterW = FreePorts.next();
        members = "127.0.0.1:" + clusterA + ",127.0.0.1:" + clusterB + ",127.0.0.1:" + clusterW;
        Path relayConfig = work.resolve("relay.yaml");
        Files.writeString(relayConfig, "event-loops: 1\nverifier-threads: 1\nread-pool-size: 2\n");
        relayAPort = FreePorts.next();
        relayBPort = FreePorts.next();
        workerHealthPort = FreePorts.next();
        relayA = child("inspect-relay-a", relayArgs("a", relayAPort, clusterA, relayConfig));
        relayB = child("inspect-relay-b", relayArgs("b", relayBPort, clusterB, relayConfig));
        child("inspect-worker", List.of("worker", "--backend", "cpu", "--cpu-threads", "1",
                "--health-host", "127.0.0.1", "--health-port", Integer.toString(workerHealthPort),
                "--cluster-port", Integer.toString(clusterW), "--cluster-members", members));
        awaitTrue("relay a answers NIP-11", () -> HttpProbe.relayInfo(relayAPort).isPresent());
        awaitTrue("relay b answers NIP-11", () -> HttpProbe.relayInfo(relayBPort).isPresent());
        awaitTrue("the worker is UP", () -> HttpProbe.workerHealth(workerHealthPort)
                .map(health -> "UP".equals(health.getString("status"))).orElse(false));
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void inspectOnceReportsEveryMemberAndTheExactCountsOfAKnownPublish() throws Exception {
        try (NostrSocket a = NostrSocket.open("relay-a", relayAPort);
             NostrSocket b = NostrSocket.open("relay-b", relayBPort)) {
            awaitWorkerPath(relayAPort, a);
            awaitWorkerPath(relayBPort, b);
            awaitReplicationSettled();
            JsonObject before = inspectOnce("inspect-before");

            // the known publish: 10 valid and 2 badly signed events to a; 3 valid and one repeat to b
            List<Event> toA = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                toA.add(event());
            }
            toA.add(RelayChecks.withCorruptedSignature(event()));
            toA.add(RelayChecks.withCorruptedSignature(event()));
            List<Event> toB = List.of(event(), event(), event());
            List<Ok> oks = new ArrayList<>();
            oks.addAll(publishAll(a, toA));
            oks.addAll(publishAll(b, toB));
            try (NostrSocket again = NostrSocket.open("relay-b-again", relayBPort)) { // OKs are kept by event id
                oks.addAll(publishAll(again, List.of(toB.get(0))));
            }
            assertEquals(13, oks.stream().filter(ok -> ok.accepted() && ok.message().isEmpty()).count(), oks.toString());
            awaitReplicationSettled();
            JsonObject after = inspectOnce("inspect-after");

            JsonArray roles = new JsonArray();
            after.getJsonArray("members").forEach(m -> roles.addAll(((JsonObject) m).getJsonArray("roles")));
            assertEquals(List.of("relay", "relay", "worker"), roles.stream().map(Object::toString).sorted().toList(),
                    after.encodePrettily());
            assertTrue(after.getJsonArray("silentNodes").isEmpty(), "silent: " + after.getJsonArray("silentNodes"));
            assertEquals(4, after.getInteger("clusterNodes"), "three members and the inspector");
            JsonObject worker = role(after, "worker", workerPid());
            assertEquals("cpu(1 threads)", worker.getJsonObject("info").getString("backend"));
            assertEquals("backend cpu configured", worker.getJsonObject("info").getString("backend.reason"));
            assertTrue(worker.getJsonObject("rates") != null, "rates need two rounds");

            Map<String, Long> relayADelta = delta(before, after, "relay", relayA.pid());
            Map<String, Long> relayBDelta = delta(before, after, "relay", relayB.pid());
            Map<String, Long> workerDelta = delta(before, after, "worker", workerPid());
            assertEquals(12, relayADelta.get("events.received"));
            assertEquals(10, relayADelta.get("events.accepted"));
            assertEquals(2, relayADelta.get("events.rejected.invalid"));
            assertEquals(0, relayADelta.get("events.duplicate"));
            assertEquals(4, relayBDelta.get("events.received"));
            assertEquals(3, relayBDelta.get("events.accepted"));
            assertEquals(1, relayBDelta.get("events.duplicate"));
            assertEquals(10, relayADelta.get("replicated.out"));
            assertEquals(3, relayBDelta.get("replicated.out"));
            assertEquals(3, relayADelta.get("replicated.in.stored"));
            assertEquals(10, relayBDelta.get("replicated.in.stored"));
            // every signature went to the worker: 12 from a, 3 from b (the repeat is known before verification)
            assertEquals(12, relayADelta.get("bus.verify.events.out"));
            assertEquals(3, relayBDelta.get("bus.verify.events.out"));
            assertEquals(10, relayADelta.get("verdicts.worker.valid"));
            assertEquals(2, relayADelta.get("verdicts.worker.invalid"));
            assertEquals(3, relayBDelta.get("verdicts.worker.valid"));
            assertEquals(15, workerDelta.get("bus.verify.events.in"));
            assertEquals(15, workerDelta.get("events.batched"));
            assertEquals(13, workerDelta.get("verdicts.valid"));
            assertEquals(2, workerDelta.get("verdicts.invalid"));
            for (Map<String, Long> relay : List.of(relayADelta, relayBDelta)) {
                relay.forEach((name, n) -> {
                    if (name.startsWith("fallbacks.")) {
                        assertEquals(0, n, name);
                    }
                });
            }
            assertEveryFieldDocumented(after);
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void statusPageInHeadlessChromiumReceivesCountersAndChartPoints() throws Exception {
        Path chromium = HeadlessChromium.binaryOrSkip();
        String page = HttpProbe.get("http://127.0.0.1:" + workerHealthPort + "/status");
        assertTrue(page.contains("<title>nostr-gpu-relay: cluster status</title>") && !page.contains("src=\"http"),
                "the worker's health port serves the same self-contained page");
        try (HeadlessChromium browser = HeadlessChromium.start(chromium, logDir);
             NostrSocket b = NostrSocket.open("relay-b", relayBPort)) {
            browser.open("http://127.0.0.1:" + relayAPort + "/status");
            browser.awaitTrue("window.statusUpdates >= 2 && document.querySelectorAll('#members tbody tr').length == 3",
                    Duration.ofSeconds(60), "three members");
            assertEquals("cpu(1 threads)", browser.evaluate("document.getElementById('worker-backend').textContent"));
            long acceptedBefore = Long.parseLong(((String) browser.evaluate(
                    "document.getElementById('total-accepted').textContent")).replace(",", ""));
            int pointsBefore = ((Number) browser.evaluate("+document.getElementById('chart-accepted').dataset.points"))
                    .intValue();
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                events.add(event());
            }
            publishAll(b, events);
            browser.awaitTrue("+document.getElementById('total-accepted').textContent.replace(/,/g, '') >= "
                    + (acceptedBefore + 20), Duration.ofSeconds(30), "the 20 new events in the accepted counter");
            browser.awaitTrue("+document.getElementById('chart-accepted').dataset.points > " + pointsBefore
                    + " && Math.max(...Object.values(window.lastView.members).filter(m => m.relay)"
                    + ".map(m => m.relay.counters['events.accepted'])) > 0", Duration.ofSeconds(30),
                    "new points in the accepted-events chart");
            browser.awaitTrue("document.querySelectorAll('#chart-rtt polyline').length >= 2",
                    Duration.ofSeconds(30), "a round-trip series per relay");
            Path screenshot = logDir.resolve("status-page.png");
            browser.screenshot(screenshot);
            assertTrue(Files.size(screenshot) > 10_000, "screenshot " + screenshot);
            log("status page screenshot: " + screenshot);
        }
    }

    // ---- inspect

    /** Runs {@code inspect --once --json} as a fourth member and returns its snapshot. */
    private static JsonObject inspectOnce(String name) throws Exception {
        Path out = logDir.resolve(name + ".json");
        Path err = logDir.resolve(name + ".log");
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "inspect", "--once",
                "--json", "--cluster-port", Integer.toString(port), "--cluster-members", members + ",127.0.0.1:" + port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("CLUSTER"));
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "inspect did not finish; see " + err);
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), "inspect failed: " + Files.readString(err));
        String json = Files.readString(out, StandardCharsets.UTF_8);
        log(name + ": " + json.length() + " characters of JSON in " + out);
        return new JsonObject(json);
    }

    private static JsonObject role(JsonObject view, String role, long pid) {
        for (Object item : view.getJsonArray("members")) {
            JsonObject member = (JsonObject) item;
            if (member.getLong("pid") == pid && member.containsKey(role)) {
                return member.getJsonObject(role);
            }
        }
        throw new AssertionError("no " + role + " with pid " + pid + " in " + view.encodePrettily());
    }

    private static Map<String, Long> delta(JsonObject before, JsonObject after, String roleName, long pid) {
        JsonObject earlier = role(before, roleName, pid).getJsonObject("counters");
        JsonObject later = role(after, roleName, pid).getJsonObject("counters");
        Map<String, Long> delta = new java.util.TreeMap<>();
        for (String name : later.fieldNames()) {
            long was = earlier.containsKey(name) ? earlier.getNumber(name).longValue() : 0;
            delta.put(name, later.getNumber(name).longValue() - was);
        }
        log(roleName + " " + pid + " counters added by the publish: " + delta);
        return delta;
    }

    /** {@code inspect --help} documents every field a real snapshot has. */
    private static void assertEveryFieldDocumented(JsonObject view) {
        for (Object item : view.getJsonArray("members")) {
            JsonObject member = (JsonObject) item;
            for (String roleName : List.of("relay", "worker")) {
                JsonObject role = member.getJsonObject(roleName);
                if (role == null) {
                    continue;
                }
                Map<String, String> fields = roleName.equals("relay") ? InspectFields.RELAY : InspectFields.WORKER;
                for (String section : List.of("info", "counters", "gauges", "histograms")) {
                    for (String name : role.getJsonObject(section).fieldNames()) {
                        assertTrue(InspectFields.documents(fields, section + "." + name),
                                roleName + " field " + section + "." + name + " is missing from inspect --help");
                    }
                }
            }
        }
        for (String name : view.fieldNames()) {
            assertTrue(InspectFields.TOP.keySet().stream().anyMatch(field -> field.startsWith(name)),
                    "top-level field " + name + " is missing from inspect --help");
        }
    }

    // ---- cluster

    private static List<String> relayArgs(String name, int port, int clusterPort, Path config) {
        return List.of("relay", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--data", work.resolve(name).toString(), "--config", config.toString(),
                "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(clusterPort),
                "--cluster-members", members, "--verification", "cluster", "--verification-fallback", "cpu");
    }

    private static ChildJvm child(String name, List<String> args) throws Exception {
        return CHILDREN.start(name, args);
    }

    private static long workerPid() {
        return CHILDREN.all().stream().filter(child -> child.name().equals("inspect-worker")).findFirst().orElseThrow().pid();
    }

    /** Publishes one event at a time until a verdict on this relay came from the worker. */
    private static void awaitWorkerPath(int port, NostrSocket socket) throws Exception {
        awaitTrue("relay on port " + port + " gets verdicts from the worker", () -> {
            try {
                publishAll(socket, List.of(event()));
                return HttpProbe.sum(HttpProbe.metrics(port), RELAY_VERDICTS, Map.of("path", "worker")) > 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Each relay has stored what the other published: no replication still under way. Counted by the events stored,
     * not all received: the catch-up a member's join starts (the inspector is one) may fetch an event whose live
     * copy is still on its way, and then both are received, one stored.
     */
    private static void awaitReplicationSettled() throws Exception {
        Map<String, String> stored = Map.of("outcome", "stored");
        awaitTrue("replication settled", () -> {
            String a = HttpProbe.metrics(relayAPort);
            String b = HttpProbe.metrics(relayBPort);
            return HttpProbe.sum(a, "nostr_relay_replication_published_total", Map.of())
                    == HttpProbe.sum(b, "nostr_relay_replication_received_total", stored)
                    && HttpProbe.sum(b, "nostr_relay_replication_published_total", Map.of())
                    == HttpProbe.sum(a, "nostr_relay_replication_received_total", stored);
        });
    }

    // ---- events

    private static Event event() {
        return ALICE.sign(System.currentTimeMillis() / 1000, 1, List.of(List.of("t", "inspect-it")),
                "inspected event " + SEQUENCE.incrementAndGet());
    }

    private static List<Ok> publishAll(NostrSocket socket, List<Event> events) throws Exception {
        List<CompletableFuture<Ok>> oks = new ArrayList<>();
        for (Event event : events) {
            oks.add(socket.publish(event));
            oks.get(oks.size() - 1).get(30, TimeUnit.SECONDS); // one at a time: each OK belongs to its own send
        }
        return oks.stream().map(CompletableFuture::join).toList();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                CHILDREN.all().forEach(child -> logs.append("\n--- ").append(child).append('\n').append(child.logTail(15)));
                throw new AssertionError("not within " + START_BOUND + ": " + what + logs);
            }
            Thread.sleep(200);
        }
    }

    private static void log(String line) {
        System.out.println("[InspectClusterIT] " + line);
    }
}
