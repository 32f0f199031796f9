package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.relay.cluster.CatchUp;
import org.nostrgpu.relay.cluster.ReplicationMetrics;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster catch-up in one JVM over real Hazelcast on loopback: relay B is stopped while relay A takes events, and
 * B's database also gets events A never saw (imported while B was down); when B starts again it reconciles with A
 * before it serves clients, so at once it serves what it missed and A stores what only B had. Neither side verifies
 * the other's events again (they come from a cluster member), and each event is fetched once.
 */
class ClusterCatchUpTest {
    @TempDir
    Path dataA;
    @TempDir
    Path dataB;

    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<RelayNode> relays = new ArrayList<>();
    private Vertx clients;

    @AfterEach
    void stopAll() throws Exception {
        for (int i = relays.size() - 1; i >= 0; i--) {
            relays.get(i).close().await(60, TimeUnit.SECONDS);
        }
        for (int i = vertxes.size() - 1; i >= 0; i--) {
            vertxes.get(i).close().await(60, TimeUnit.SECONDS);
        }
        if (clients != null) {
            clients.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestartedNodeServesWhatItMissedAndGivesWhatOnlyItHad() throws Exception {
        int portA = freePort();
        int portB = freePort();
        List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
        clients = Vertx.vertx();
        RelayNode relayA = startClustered(portA, members, dataA);
        CatchUp.Result firstStart = relayA.lastCatchUp();
        assertNotNull(firstStart);
        assertEquals(null, firstStart.peer(), "the first node has nobody to catch up with");
        RelayNode relayB = startClustered(portB, members, dataB);
        Vertx clusteredB = vertxes.get(vertxes.size() - 1);

        EventSigner author = EventSigner.random();
        List<Event> before = sign(author, 20, 0);
        publish(relayA, before);
        awaitStored(relayB, author, 20);

        relayB.close().await(60, TimeUnit.SECONDS);
        relays.remove(relayB);
        clusteredB.close().await(60, TimeUnit.SECONDS);
        vertxes.remove(clusteredB);

        List<Event> missed = sign(author, 60, 100);
        publish(relayA, missed);
        List<Event> onlyOnB = sign(author, 10, 200);
        importWhileStopped(dataB, onlyOnB);

        RelayNode restarted = startClustered(portB, members, dataB);
        CatchUp.Result caughtUp = restarted.lastCatchUp();
        assertNotNull(caughtUp);
        assertEquals(relayA.nodeId(), caughtUp.peer());
        assertEquals(60, caughtUp.fetched());
        assertEquals(60, caughtUp.storedNew());
        assertEquals(10, caughtUp.sent());
        assertEquals(10, caughtUp.storedByPeer());

        Set<String> all = new HashSet<>();
        for (List<Event> part : List.of(before, missed, onlyOnB)) {
            part.forEach(event -> all.add(event.id()));
        }
        assertEquals(all, storedIds(restarted, author), "served at once after the start, nothing to wait for");
        assertEquals(all, storedIds(relayA, author));
        assertTrue(restarted.replicationMetrics().receivedCount(ReplicationMetrics.Outcome.STORED) >= 60);
    }

    private RelayNode startClustered(int port, List<String> members, Path data) throws Exception {
        var registry = PrometheusMetrics.newRegistry();
        Vertx vertx = ClusteredVertx.start(new ClusterOptions(true, "127.0.0.1", port, members, null),
                new VertxOptions(), registry).await(60, TimeUnit.SECONDS);
        vertxes.add(vertx);
        RelayNode relay = RelayNode.start(vertx, config(data), TestRelays.OPTIONS.withRegistry(registry))
                .await(120, TimeUnit.SECONDS);
        relays.add(relay);
        return relay;
    }

    private static RelayConfig config(Path data) {
        RelayConfig config = TestRelays.config(data, Limits.defaults());
        return config.withVerification(VerificationSettings.defaults().withMode(VerificationSettings.Mode.LOCAL));
    }

    /** Events stored into B's database by a node that is not in the cluster, as an import would. */
    private static void importWhileStopped(Path data, List<Event> events) throws Exception {
        Vertx alone = Vertx.vertx();
        try {
            RelayNode headless = RelayNode.startHeadless(alone, config(data), TestRelays.OPTIONS)
                    .await(60, TimeUnit.SECONDS);
            for (Event event : events) {
                assertTrue(headless.ingester().ingest(event).await(30, TimeUnit.SECONDS).accepted());
            }
            headless.close().await(60, TimeUnit.SECONDS);
        } finally {
            alone.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static List<Event> sign(EventSigner author, int count, int offset) {
        List<Event> events = new ArrayList<>();
        long now = TestRelays.now();
        for (int i = 0; i < count; i++) {
            events.add(author.sign(now - 1_000 + offset + i, 1, List.of(), "catch-up " + (offset + i)));
        }
        return events;
    }

    private void publish(RelayNode relay, List<Event> events) throws Exception {
        try (RelayTestClient publisher = RelayTestClient.connect(clients, relay.port())) {
            for (Event event : events) {
                publisher.publishAccepted(event);
            }
        }
    }

    private void awaitStored(RelayNode relay, EventSigner author, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (storedIds(relay, author).size() < count) {
            assertTrue(System.currentTimeMillis() < deadline, "replication did not arrive");
            Thread.sleep(100);
        }
    }

    private Set<String> storedIds(RelayNode relay, EventSigner author) throws Exception {
        try (RelayTestClient reader = RelayTestClient.connect(clients, relay.port())) {
            Set<String> ids = new HashSet<>();
            for (JsonArray frame : reader.req("stored", "{\"authors\":[\"" + author.pubkey() + "\"]}")) {
                ids.add(frame.getJsonObject(2).getString("id"));
            }
            return ids;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
