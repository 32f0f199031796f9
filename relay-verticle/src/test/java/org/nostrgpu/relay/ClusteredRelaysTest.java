package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.cluster.ReplicationMetrics;
import org.nostrgpu.relay.verify.FallbackCause;
import org.nostrgpu.relay.verify.VerificationMetrics;
import org.nostrgpu.worker.VerificationWorkerVerticle;
import org.nostrgpu.worker.BackendSelection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Vert.x instances in one JVM, clustered through real Hazelcast on loopback: relay A and relay B (each a
 * {@link RelayNode} with its own SQLite file and no worker of its own) and a verification worker on the CPU.
 * Clients talk to the relays over real WebSockets. One cluster serves every test of the class.
 */
class ClusteredRelaysTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;

    static Vertx workerVertx;
    static Vertx vertxA;
    static Vertx vertxB;
    static Vertx clients;
    static VerificationWorkerVerticle worker;
    static RelayNode relayA;
    static RelayNode relayB;

    @BeforeAll
    static void startCluster() throws Exception {
        int portW = freePort();
        int portA = freePort();
        int portB = freePort();
        List<String> members = List.of("127.0.0.1:" + portW, "127.0.0.1:" + portA, "127.0.0.1:" + portB);
        PrometheusMeterRegistry workerRegistry = PrometheusMetrics.newRegistry();
        workerVertx = ClusteredVertx.start(member(portW, members), new VertxOptions(), workerRegistry)
                .await(60, TimeUnit.SECONDS);
        worker = new VerificationWorkerVerticle(
                WorkerConfig.defaults().withBackend("cpu").withCpuThreads(2).withHealthPort(0), workerRegistry,
                () -> new BackendSelection(new CpuSchnorrVerifier(2), "CPU backend for the cluster test", null));
        workerVertx.deployVerticle(worker).await(60, TimeUnit.SECONDS);

        PrometheusMeterRegistry registryA = PrometheusMetrics.newRegistry();
        vertxA = ClusteredVertx.start(member(portA, members), new VertxOptions(), registryA)
                .await(60, TimeUnit.SECONDS);
        relayA = RelayNode.start(vertxA, relayConfig(dataA), TestRelays.OPTIONS.withRegistry(registryA))
                .await(60, TimeUnit.SECONDS);
        PrometheusMeterRegistry registryB = PrometheusMetrics.newRegistry();
        vertxB = ClusteredVertx.start(member(portB, members), new VertxOptions(), registryB)
                .await(60, TimeUnit.SECONDS);
        relayB = RelayNode.start(vertxB, relayConfig(dataB), TestRelays.OPTIONS.withRegistry(registryB))
                .await(60, TimeUnit.SECONDS);
        clients = Vertx.vertx();

        awaitWorkerVisibleFrom(vertxA);
        awaitWorkerVisibleFrom(vertxB);
        awaitReplicationBothWays();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Future<?> closing : List.of(
                relayB == null ? Future.succeededFuture() : relayB.close(),
                relayA == null ? Future.succeededFuture() : relayA.close())) {
            closing.await(60, TimeUnit.SECONDS);
        }
        for (Vertx vertx : new Vertx[]{clients, vertxB, vertxA, workerVertx}) {
            if (vertx != null) {
                vertx.close().await(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void clusteredRelaysRunNoWorkerOfTheirOwn() {
        assertFalse(relayA.hasEmbeddedWorker());
        assertFalse(relayB.hasEmbeddedWorker());
        assertTrue(relayA.verificationPath().contains("the cluster's verification workers"), relayA.verificationPath());
    }

    @Test
    void anEventPublishedOnAReachesALiveSubscriberOnBAndBStoresIt() throws Exception {
        EventSigner author = EventSigner.random();
        Event event = author.sign(TestRelays.now(), 1, List.of(List.of("t", "cluster")), "published on A");
        try (RelayTestClient subscriber = RelayTestClient.connect(clients, relayB.port());
             RelayTestClient publisher = RelayTestClient.connect(clients, relayA.port())) {
            assertEquals(List.of(), subscriber.req("live", byAuthor(author)));
            publisher.publishAccepted(event);

            JsonArray live = subscriber.next("EVENT");
            assertEquals("live", live.getString(1));
            assertEquals("[\"EVENT\",\"live\"," + event.toJson() + "]", live.encode(), "B delivers the canonical event");
        }
        assertEquals(List.of(event.id()), storedIds(relayB, author));
        assertEquals(List.of(event.id()), storedIds(relayA, author));
        assertTrue(relayB.replicationMetrics().receivedCount(ReplicationMetrics.Outcome.STORED) >= 1);
    }

    @Test
    void aMixedSetOfEventsGetsExactlyTheRightVerdictsAndOnlyValidOnesAreReplicated() throws Exception {
        EventSigner author = EventSigner.random();
        long workerEventsBefore = worker.status().eventsBatched();
        Map<String, Boolean> expected = new HashMap<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Event valid = author.sign(TestRelays.now(), 1, List.of(), "mixed " + i);
            Event sent = i % 3 == 2 ? TestRelays.withBadSignature(valid) : valid;
            events.add(sent);
            expected.put(sent.id(), sent == valid);
        }
        Map<String, JsonArray> oks = new HashMap<>();
        try (RelayTestClient publisher = RelayTestClient.connect(clients, relayA.port())) {
            events.forEach(event -> publisher.send(TestRelays.eventFrame(event)));
            while (oks.size() < events.size()) {
                JsonArray ok = publisher.next("OK");
                oks.put(ok.getString(1), ok);
            }
        }
        Set<String> valid = new HashSet<>();
        for (Event event : events) {
            JsonArray ok = oks.get(event.id());
            RelayTestClient.assertOkShape(ok, event.id());
            if (expected.get(event.id())) {
                assertEquals(true, ok.getBoolean(2), ok.encode());
                assertEquals("", ok.getString(3));
                valid.add(event.id());
            } else {
                assertEquals(false, ok.getBoolean(2), ok.encode());
                assertEquals("invalid: bad signature", ok.getString(3));
            }
        }
        assertEquals(20, valid.size());
        assertEquals(valid, awaitStoredIds(relayB, author, valid.size()), "B stores exactly the valid events");
        assertEquals(valid, new HashSet<>(storedIds(relayA, author)));

        assertTrue(worker.status().eventsBatched() - workerEventsBefore >= events.size(),
                "the worker verified every signature");
        for (RelayNode relay : List.of(relayA, relayB)) {
            for (FallbackCause cause : FallbackCause.values()) {
                assertEquals(0, relay.verificationMetrics().fallbacks(cause), "no fallback (" + cause + ")");
            }
        }
        assertTrue(relayA.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.INVALID) >= 10);
    }

    @Test
    void ephemeralEventsReachOtherNodesSubscribersAndAreStoredNowhere() throws Exception {
        EventSigner author = EventSigner.random();
        Event ephemeral = author.sign(TestRelays.now(), 20_001, List.of(), "typing...");
        try (RelayTestClient subscriber = RelayTestClient.connect(clients, relayA.port());
             RelayTestClient publisher = RelayTestClient.connect(clients, relayB.port())) {
            subscriber.req("eph", byAuthor(author));
            publisher.publishAccepted(ephemeral);
            assertEquals(ephemeral.id(), subscriber.next("EVENT").getJsonObject(2).getString("id"));
        }
        assertEquals(List.of(), storedIds(relayA, author));
        assertEquals(List.of(), storedIds(relayB, author));
    }

    @Test
    void anEventSentToBothNodesIsDeliveredOnceToEachSubscriber() throws Exception {
        EventSigner author = EventSigner.random();
        Event event = author.sign(TestRelays.now(), 1, List.of(), "sent twice");
        try (RelayTestClient subscriber = RelayTestClient.connect(clients, relayB.port());
             RelayTestClient toA = RelayTestClient.connect(clients, relayA.port());
             RelayTestClient toB = RelayTestClient.connect(clients, relayB.port())) {
            subscriber.req("once", byAuthor(author));
            toA.publishAccepted(event);
            assertEquals(event.id(), subscriber.next("EVENT").getJsonObject(2).getString("id"));
            JsonArray second = toB.publish(event);
            assertTrue(second.getBoolean(2) && second.getString(3).startsWith("duplicate:"), second.encode());
            subscriber.expectSilence(300);
        }
        assertEquals(List.of(event.id()), storedIds(relayB, author));
    }

    @Test
    void relayMetricsAreServedAtSlashMetrics() throws Exception {
        HttpClient http = clients.createHttpClient();
        try {
            String text = http.request(HttpMethod.GET, relayA.port(), "127.0.0.1", "/metrics")
                    .compose(request -> request.send())
                    .compose(response -> response.body().map(Buffer::toString)).await(60, TimeUnit.SECONDS);
            assertTrue(text.contains("nostr_relay_verify_path{fallback=\"cpu\""), "names the verification path");
            assertTrue(text.contains("nostr_relay_verify_fallbacks_total{cause=\"timeout\"}"), "fallback counters");
            assertTrue(text.contains("nostr_relay_replication_published_total"), "replication counters");
            assertTrue(text.contains("vertx_eventbus_"), "Vert.x's own metrics");
        } finally {
            http.close().await(60, TimeUnit.SECONDS);
        }
    }

    // ---- cluster set-up ----

    private static ClusterOptions member(int port, List<String> members) {
        return new ClusterOptions(true, "127.0.0.1", port, members, null);
    }

    private static RelayConfig relayConfig(Path dataDir) {
        return TestRelays.config(dataDir, Limits.defaults());
    }

    /** A worker registered on one member is visible to another shortly after, not at once: ask until it answers. */
    private static void awaitWorkerVisibleFrom(Vertx relayVertx) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            try {
                // deliberately malformed: the worker answers it without verifying anything
                relayVertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, Buffer.buffer("ping"))
                        .await(60, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                boolean noWorkerYet = e.getCause() instanceof ReplyException reply
                        && reply.failureType() == ReplyFailure.NO_HANDLERS;
                if (!noWorkerYet || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Ephemeral probes until each relay's subscriber sees what the other relay accepted. */
    private static void awaitReplicationBothWays() throws Exception {
        awaitReplication(relayA, relayB);
        awaitReplication(relayB, relayA);
    }

    private static void awaitReplication(RelayNode from, RelayNode to) throws Exception {
        EventSigner prober = EventSigner.random();
        try (RelayTestClient subscriber = RelayTestClient.connect(clients, to.port());
             RelayTestClient publisher = RelayTestClient.connect(clients, from.port())) {
            subscriber.req("probe", byAuthor(prober));
            long deadline = System.currentTimeMillis() + WAIT_MS;
            for (int attempt = 0; System.currentTimeMillis() < deadline; attempt++) {
                publisher.publishAccepted(prober.sign(TestRelays.now(), 20_000, List.of(), "probe " + attempt));
                if (subscriber.poll(200) != null) {
                    return;
                }
            }
            throw new AssertionError("events accepted on one relay never reached the other");
        }
    }

    private static String byAuthor(EventSigner author) {
        return "{\"authors\":[\"" + author.pubkey() + "\"]}";
    }

    private static List<String> storedIds(RelayNode relay, EventSigner author) throws Exception {
        try (RelayTestClient reader = RelayTestClient.connect(clients, relay.port())) {
            List<String> ids = new ArrayList<>();
            for (JsonArray frame : reader.req("stored", byAuthor(author))) {
                ids.add(frame.getJsonObject(2).getString("id"));
            }
            return ids;
        }
    }

    /** Replication is asynchronous: the other node's store has the events shortly after the OKs, not at once. */
    private static Set<String> awaitStoredIds(RelayNode relay, EventSigner author, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Set<String> ids = new HashSet<>(storedIds(relay, author));
        while (ids.size() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            ids = new HashSet<>(storedIds(relay, author));
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
