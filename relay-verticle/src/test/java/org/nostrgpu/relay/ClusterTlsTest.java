package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusterTls;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.cluster.ClusterEventPublisher;
import org.nostrgpu.relay.verify.VerificationMetrics;
import org.nostrgpu.worker.BackendSelection;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster's trust boundary with TLS and client certificates on the event bus, five members in one JVM on
 * loopback Hazelcast: a worker and relays A and C with certificates of the cluster's CA (made by
 * {@code deploy/make-cluster-certs.sh}), relay B with a certificate of another CA, and a forged member with no
 * certificate at all. Hazelcast lets every one of them join (its membership is not authenticated), but only the
 * certified members reach each other's event bus: A's signatures are verified by the worker and its events replicate
 * to C; the forged member never receives a verification request and its injected event (with a bad signature) is
 * stored nowhere; B's events never reach A or C, and B never gets a worker's verdict.
 */
class ClusterTlsTest {
    private static final String PASSWORD = "cluster-test-password";
    private static final long QUIET_MS = 3_000;
    private static final String FORGED_ORIGIN = "forged-node";

    @TempDir
    static Path work;

    static final List<Vertx> NODES = new ArrayList<>();
    static final long CUT_OFF_CATCH_UP_TIMEOUT_MS = 5_000;
    static final List<RelayNode> RELAYS = new ArrayList<>();
    static Vertx clients;
    static RelayNode relayA;
    static RelayNode relayB;
    static RelayNode relayC;
    static Vertx forged;
    static final AtomicInteger forgedVerifyRequests = new AtomicInteger();
    static final AtomicInteger forgedReplicatedEvents = new AtomicInteger();
    static final List<ServerSocket> RESERVED = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        Path cluster = work.resolve("cluster-ca");
        Path other = work.resolve("other-ca");
        makeCerts(cluster, "worker", "relay-a", "relay-c");
        makeCerts(other, "relay-b");
        // each port stays bound until its member starts: another member's event bus (which binds port 0) could
        // otherwise be handed a port that was probed free and released
        List<ServerSocket> reserved = new ArrayList<>();
        int[] ports = new int[5];
        List<String> members = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            reserved.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            ports[i] = reserved.get(i).getLocalPort();
            members.add("127.0.0.1:" + ports[i]);
        }
        RESERVED.addAll(reserved);
        PrometheusMeterRegistry workerRegistry = PrometheusMetrics.newRegistry();
        Vertx workerVertx = node(ports[0], members, tls(cluster, "worker"), workerRegistry);
        workerVertx.deployVerticle(new VerificationWorkerVerticle(
                WorkerConfig.defaults().withBackend("cpu").withCpuThreads(1).withHealthPort(0), workerRegistry,
                () -> new BackendSelection(new CpuSchnorrVerifier(1), "CPU backend for the TLS test", null)))
                .await(60, TimeUnit.SECONDS);
        relayA = relay(ports[1], members, tls(cluster, "relay-a"), "a");
        relayC = relay(ports[2], members, tls(cluster, "relay-c"), "c");
        // B's cluster catch-up at start can only wait: the event bus of every peer refuses its certificate, which
        // the asking side sees as no answer; it goes on without the catch-up after this shorter timeout
        relayB = relay(ports[3], members, tls(other, "relay-b"), "b", CUT_OFF_CATCH_UP_TIMEOUT_MS);
        forged = node(ports[4], members, ClusterTls.off(), null);
        clients = Vertx.vertx();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ServerSocket reservation : RESERVED) {
            reservation.close();
        }
        for (RelayNode relay : RELAYS) {
            relay.close().await(60, TimeUnit.SECONDS);
        }
        for (Vertx vertx : NODES) {
            vertx.close().await(60, TimeUnit.SECONDS);
        }
        if (clients != null) {
            clients.close().await(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyMembersWithTheClustersCertificatesReachEachOthersEventBus() throws Exception {
        EventSigner author = EventSigner.random();
        try (RelayTestClient toA = RelayTestClient.connect(clients, relayA.port());
             RelayTestClient onC = RelayTestClient.connect(clients, relayC.port())) {
            onC.req("replicated", TestRelays.authorFilter(author, ""));
            // certified members: A's signatures are verified by the worker, A's events reach C
            Eventually.await("relay A gets verdicts from the worker over TLS", () -> {
                publish(toA, author);
                return relayA.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID) > 0;
            });
            assertEquals("EVENT", onC.next().getString(0), "an event accepted on A reaches C's subscriber");

            // the forged member offers to verify and listens for replicated events (registered after the check above:
            // requests alternate between the consumers of the verify address, and every one sent to the forged
            // member fails, so A would keep its circuit open; that a member of Hazelcast can do this is why its port
            // must be reachable by members only)
            forged.eventBus().<Buffer>consumer(VerifyProtocol.VERIFY_ADDRESS, request -> {
                forgedVerifyRequests.incrementAndGet();
                request.reply(Buffer.buffer("forged"));
            }).completion().await(60, TimeUnit.SECONDS);
            MessageConsumer<String> eavesdropper = forged.eventBus().consumer(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS,
                    replicated -> {
                        if (!FORGED_ORIGIN.equals(replicated.headers().get(ClusterEventPublisher.ORIGIN_HEADER))) {
                            forgedReplicatedEvents.incrementAndGet(); // not its own publication, delivered locally
                        }
                    });
            eavesdropper.completion().await(60, TimeUnit.SECONDS);

            // the forged member injects an event with a bad signature; B publishes one it accepted
            EventSigner intruder = EventSigner.random();
            Event forgedEvent = TestRelays.withBadSignature(TestRelays.sign(intruder, 1, List.of(), "injected"));
            forged.eventBus().publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, forgedEvent.toJson(),
                    new DeliveryOptions().addHeader(ClusterEventPublisher.ORIGIN_HEADER, FORGED_ORIGIN));
            Event fromB;
            try (RelayTestClient toB = RelayTestClient.connect(clients, relayB.port())) {
                fromB = TestRelays.sign(intruder, 1, List.of(), "accepted by the relay with the wrong certificate");
                toB.publishAccepted(fromB); // B verifies on its own CPU: no worker answers it
            }
            for (int i = 0; i < 5; i++) {
                publish(toA, author); // traffic A may send to the forged member's or B's consumers
            }
            Thread.sleep(QUIET_MS); // what was going to arrive has arrived: replication takes milliseconds

            for (RelayNode relay : List.of(relayA, relayC)) {
                assertEquals(List.of(), idsOf(relay, intruder), "an intruder's event was stored on a certified relay");
            }
            assertEquals(0, forgedVerifyRequests.get(), "the forged member received verification requests");
            assertEquals(0, forgedReplicatedEvents.get(), "the forged member received replicated events");
            assertEquals(0, relayB.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID),
                    "the relay with the wrong certificate got verdicts from the cluster's worker");
            assertEquals(List.of(), idsOf(relayB, author), "the relay with the wrong certificate received A's events");
        }
    }

    private static void publish(RelayTestClient client, EventSigner author) {
        try {
            client.publishAccepted(TestRelays.sign(author, 1, List.of(), "certified " + System.nanoTime()));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> idsOf(RelayNode relay, EventSigner author) throws Exception {
        try (RelayTestClient reader = RelayTestClient.connect(clients, relay.port())) {
            List<String> ids = new ArrayList<>();
            for (JsonArray frame : reader.req("ids", TestRelays.authorFilter(author, ""))) {
                ids.add(frame.getJsonObject(2).getString("id"));
            }
            return ids;
        }
    }

    private static RelayNode relay(int port, List<String> members, ClusterTls tls, String name) throws Exception {
        return relay(port, members, tls, name, RelayNodeOptions.DEFAULT_CATCH_UP_REQUEST_TIMEOUT_MS);
    }

    private static RelayNode relay(int port, List<String> members, ClusterTls tls, String name,
                                   long catchUpTimeoutMs) throws Exception {
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
        Vertx vertx = node(port, members, tls, registry);
        RelayConfig config = TestRelays.config(work.resolve("relay-" + name), Limits.defaults());
        RelayNode relay = RelayNode.start(vertx, config, TestRelays.OPTIONS.withRegistry(registry)
                        .withCatchUpRequestTimeoutMs(catchUpTimeoutMs))
                .await(60, TimeUnit.SECONDS);
        RELAYS.add(relay);
        return relay;
    }

    private static Vertx node(int port, List<String> members, ClusterTls tls, PrometheusMeterRegistry registry)
            throws Exception {
        for (ServerSocket reservation : RESERVED) {
            if (reservation.getLocalPort() == port) {
                reservation.close();
            }
        }
        // members started so far only: a reserved port not yet handed to its member would hold up the join
        List<String> started = members.subList(0, members.indexOf("127.0.0.1:" + port) + 1);
        Vertx vertx = ClusteredVertx.start(new ClusterOptions(true, "127.0.0.1", port, started, null), tls,
                new VertxOptions(), registry).await(60, TimeUnit.SECONDS);
        NODES.add(vertx);
        return vertx;
    }

    private static ClusterTls tls(Path dir, String member) {
        return new ClusterTls(dir.resolve(member + ".p12").toString(), dir.resolve("truststore.p12").toString(),
                PASSWORD);
    }

    /** The operator's way: the deploy script, with the JDK running this test's keytool. */
    private static void makeCerts(Path dir, String... members) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash",
                Path.of("..", "deploy", "make-cluster-certs.sh").toAbsolutePath().toString(), dir.toString()));
        command.addAll(List.of(members));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("certs-" + dir.getFileName() + ".log").toFile());
        builder.environment().put("CLUSTER_TLS_PASSWORD", PASSWORD);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "make-cluster-certs.sh did not finish");
        assertEquals(0, process.exitValue(), "make-cluster-certs.sh failed, see " + work);
    }

}
