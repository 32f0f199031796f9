package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.config.VerificationSettings.Mode;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.verify.FaultInjectingWorker;
import org.nostrgpu.relay.verify.FaultInjectingWorker.Fault;
import org.nostrgpu.relay.verify.VerificationMetrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay whose only verification worker hangs (the in-JVM equivalent of {@code kill -STOP}; the separate-process
 * version is the app module's HungWorkerIT), with the default deadlines: 40 events on 4 connections all get their
 * OK well inside what clients wait (nostr-tools gives up after 4.4 s), each with the right answer; every accepted
 * event is stored, no corrupted one is; when the worker answers again the relay uses it again.
 */
@ExtendWith(VertxExtension.class)
class RelayHungWorkerTest {
    /** nostr-tools' default publish timeout: an OK later than this is a failed publish for its users. */
    private static final long CLIENT_TIMEOUT_MS = 4_400;
    private static final int CONNECTIONS = 4;
    private static final int EVENTS_PER_CONNECTION = 10;

    @TempDir
    Path dataDir;

    @Test
    void aHungWorkerNeverFailsAClient(Vertx vertx) throws Exception {
        RelayConfig config = TestRelays.config(dataDir, Limits.defaults())
                .withVerification(VerificationSettings.defaults().withMode(Mode.CLUSTER));
        try (FaultInjectingWorker worker = FaultInjectingWorker.start(vertx)) {
            RelayNode relay = RelayNode.start(vertx, config, TestRelays.OPTIONS).await(15, TimeUnit.SECONDS);
            try {
                EventSigner author = EventSigner.random();
                awaitWorkerUsed(vertx, relay, author, "before the hang");

                long byWorker = decidedByWorker(relay);
                worker.fault(Fault.HANG);
                List<Event> accepted = new ArrayList<>();
                List<Event> refused = new ArrayList<>();
                long[] latencies = publishConcurrently(vertx, relay.port(), author, accepted, refused);
                Arrays.sort(latencies);
                long max = latencies[latencies.length - 1];
                System.out.printf("OK latency with a hung worker, %d events on %d connections: p50 %d ms, max %d ms%n",
                        latencies.length, CONNECTIONS, latencies[latencies.length / 2], max);
                assertTrue(max < CLIENT_TIMEOUT_MS, "an OK took " + max + " ms with the worker hung");
                assertEquals(byWorker, decidedByWorker(relay), "the hung worker decided nothing");
                assertStored(vertx, relay.port(), author, accepted, refused);

                worker.fault(Fault.NONE);
                awaitWorkerUsed(vertx, relay, author, "after the worker came back");
            } finally {
                relay.close().await(15, TimeUnit.SECONDS);
            }
        }
    }

    private static long decidedByWorker(RelayNode relay) {
        return relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID)
                + relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.INVALID);
    }

    /** Publishes until one event is decided by the worker (a loaded machine may miss the first deadlines). */
    private static void awaitWorkerUsed(Vertx vertx, RelayNode relay, EventSigner author, String label)
            throws Exception {
        long byWorker = relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID);
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            Eventually.await("the relay sends to the worker " + label, () -> {
                try {
                    client.publishAccepted(TestRelays.sign(author, 1, List.of(), label));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID) > byWorker;
            });
        }
    }

    /** Every connection sends all its events at once; returns each OK's latency in milliseconds. */
    private static long[] publishConcurrently(Vertx vertx, int port, EventSigner author, List<Event> accepted,
                                              List<Event> refused) throws Exception {
        List<RelayTestClient> clients = new ArrayList<>();
        List<List<Event>> perClient = new ArrayList<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                clients.add(RelayTestClient.connect(vertx, port));
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < EVENTS_PER_CONNECTION; i++) {
                    Event event = TestRelays.sign(author, 1, List.of(), "hung worker " + c + "/" + i);
                    boolean corrupt = i % 5 == 4;
                    events.add(corrupt ? TestRelays.withBadSignature(event) : event);
                    (corrupt ? refused : accepted).add(corrupt ? TestRelays.withBadSignature(event) : event);
                }
                perClient.add(events);
            }
            long started = System.nanoTime();
            for (int c = 0; c < CONNECTIONS; c++) {
                for (Event event : perClient.get(c)) {
                    clients.get(c).send(TestRelays.eventFrame(event));
                }
            }
            long[] latencies = new long[CONNECTIONS * EVENTS_PER_CONNECTION];
            int n = 0;
            Set<String> refusedIds = new HashSet<>();
            refused.forEach(event -> refusedIds.add(event.id()));
            for (RelayTestClient client : clients) {
                for (int i = 0; i < EVENTS_PER_CONNECTION; i++) {
                    JsonArray ok = client.next("OK");
                    latencies[n++] = (client.lastArrivalNanos() - started) / 1_000_000;
                    boolean shouldRefuse = refusedIds.contains(ok.getString(1));
                    assertEquals(!shouldRefuse, ok.getBoolean(2), ok.encode());
                    if (shouldRefuse) {
                        assertEquals("invalid: bad signature", ok.getString(3));
                    }
                }
            }
            return latencies;
        } finally {
            for (RelayTestClient client : clients) {
                client.close();
            }
        }
    }

    private static void assertStored(Vertx vertx, int port, EventSigner author, List<Event> accepted,
                                     List<Event> refused) throws Exception {
        try (RelayTestClient client = RelayTestClient.connect(vertx, port)) {
            Set<String> stored = new HashSet<>();
            for (JsonArray frame : client.req("all", TestRelays.authorFilter(author, ""))) {
                stored.add(frame.getJsonObject(2).getString("id"));
            }
            for (Event event : accepted) {
                assertTrue(stored.contains(event.id()), "an acknowledged event is missing: " + event.content());
            }
            for (Event event : refused) {
                assertTrue(!stored.contains(event.id()), "an event with a bad signature was stored: " + event.content());
            }
        }
    }
}
