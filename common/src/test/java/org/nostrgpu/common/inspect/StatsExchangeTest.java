package org.nostrgpu.common.inspect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.bus.MalformedStatsMessageException;
import org.nostrgpu.common.bus.NodeStats;
import org.nostrgpu.common.bus.StatsProtocol;
import org.nostrgpu.common.bus.StatsRequest;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequestEncoder;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stats protocol end to end on a real (local) event bus: a relay's and a worker's responders in one process,
 * the collector, the bus tap's counters and tails, and what a member does with requests it cannot read.
 */
class StatsExchangeTest {
    private Vertx vertx;
    private SimpleMeterRegistry registry;
    private StatsResponder relay;
    private StatsResponder worker;
    private ClusterStatsCollector collector;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        Counter accepted = Counter.builder("accepted").register(registry);
        accepted.increment(5);
        MeterReader meters = new MeterReader(registry);
        relay = StatsResponder.forRelay(vertx, () -> new StatsSection(Map.of("verification.path", "worker"),
                Map.of("events.accepted", meters.count("accepted")), Map.of(), Map.of()));
        worker = StatsResponder.forWorker(vertx, () -> new StatsSection(Map.of("backend", "cpu(1 threads)"),
                Map.of(), Map.of("queue.depth", 0.0), Map.of()));
        relay.start().await(5, TimeUnit.SECONDS);
        worker.start().await(5, TimeUnit.SECONDS);
        collector = ClusterStatsCollector.start(vertx).await(5, TimeUnit.SECONDS);
        // a worker that answers every verify request VALID
        vertx.eventBus().<Buffer>consumer(VerifyProtocol.VERIFY_ADDRESS, message -> message.reply(
                VerifyReply.ok(java.util.Collections.nCopies((message.body().length() - 8) / 128, Verdict.VALID))
                        .encode()));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void everyRoleAnswersWithItsSectionAndBusCounters() throws Exception {
        verify(3);
        verify(2);
        ClusterSnapshot snapshot = collector.collect(null, 300).await(5, TimeUnit.SECONDS);
        assertEquals(2, snapshot.stats().size(), snapshot.toString());
        NodeStats relayStats = role(snapshot, StatsProtocol.RELAY_ROLE);
        NodeStats workerStats = role(snapshot, StatsProtocol.WORKER_ROLE);
        assertEquals(relayStats.member(), workerStats.member(), "one process, one member");
        assertEquals(5.0, relayStats.counters().get("events.accepted"));
        assertEquals(2.0, relayStats.counters().get("bus.verify.requests.out"));
        assertEquals(5.0, relayStats.counters().get("bus.verify.events.out"));
        assertEquals(2.0, workerStats.counters().get("bus.verify.requests.in"));
        assertEquals(5.0, workerStats.counters().get("bus.verify.events.in"));
        assertEquals("cpu(1 threads)", workerStats.info().get("backend"));
        assertTrue(relayStats.tailVerify().isEmpty(), "no tail unless asked for");
    }

    @Test
    void aTailCarriesVerifyRoundTripsAndOnlyTheAcceptedEventsItsFilterWants() throws Exception {
        EventSigner alice = EventSigner.random();
        StatsRequest.Tail tail = new StatsRequest.Tail(true, Set.of(1), Set.of(alice.pubkey()), true);
        collector.collect(tail, 100).await(5, TimeUnit.SECONDS); // leases the tail
        verify(4);
        Event wanted = alice.sign(1_700_000_000, 1, List.of(), "hello inspector");
        vertx.eventBus().publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, wanted.toJson());
        vertx.eventBus().publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS,
                alice.sign(1_700_000_000, 7, List.of(), "+").toJson());
        vertx.eventBus().publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS,
                EventSigner.random().sign(1_700_000_000, 1, List.of(), "someone else").toJson());
        ClusterSnapshot snapshot = collector.collect(tail, 300).await(5, TimeUnit.SECONDS);
        NodeStats relayStats = role(snapshot, StatsProtocol.RELAY_ROLE);
        assertEquals(1, relayStats.tailVerify().size(), relayStats.tailVerify().toString());
        JsonObject roundTrip = relayStats.tailVerify().get(0);
        assertEquals(4, roundTrip.getInteger("events"));
        assertEquals("OK", roundTrip.getString("status"));
        assertTrue(roundTrip.getLong("roundTripMicros") >= 0);
        assertEquals(1, relayStats.tailEvents().size(), relayStats.tailEvents().toString());
        assertEquals(wanted.id(), relayStats.tailEvents().get(0).getString("id"));
        assertEquals("hello inspector", relayStats.tailEvents().get(0).getString("content"));
        assertEquals(3.0, relayStats.counters().get("bus.events.published.out"), "every publication is counted");
        NodeStats again = role(collector.collect(tail, 300).await(5, TimeUnit.SECONDS), StatsProtocol.RELAY_ROLE);
        assertTrue(again.tailEvents().isEmpty() && again.tailVerify().isEmpty(), "a sample is handed out once");
    }

    @Test
    void aMalformedRequestWithAReplyAddressGetsAnErrorReplyAndIsCounted() throws Exception {
        Message<Object> answer = vertx.eventBus().request(StatsProtocol.STATS_ADDRESS, "{\"protocol\":\"x\"}")
                .await(5, TimeUnit.SECONDS);
        MalformedStatsMessageException refused = assertThrows(MalformedStatsMessageException.class,
                () -> NodeStats.decode(answer.body()));
        assertTrue(refused.getMessage().contains("\"protocol\" must be \"nostr-gpu-stats\", got \"x\""),
                refused.getMessage());
        assertEquals(1, relay.malformedRequests() + worker.malformedRequests());
    }

    @Test
    void aPublishedRequestOfAnotherVersionIsAnsweredWhereItAsked() throws Exception {
        String probe = StatsProtocol.REPLY_ADDRESS_PREFIX + "probe";
        List<Object> replies = new CopyOnWriteArrayList<>();
        vertx.eventBus().consumer(probe, message -> replies.add(message.body())).completion()
                .await(5, TimeUnit.SECONDS);
        vertx.eventBus().publish(StatsProtocol.STATS_ADDRESS, new JsonObject().put("protocol", "nostr-gpu-stats")
                .put("version", 9).put("replyTo", probe).encode());
        // and one naming no usable reply address: dropped (and logged), nothing is sent anywhere
        vertx.eventBus().publish(StatsProtocol.STATS_ADDRESS, "{\"replyTo\":\"nostr-gpu.verify\"}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((relay.malformedRequests() < 2 || worker.malformedRequests() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, relay.malformedRequests());
        assertEquals(2, worker.malformedRequests());
        ClusterSnapshot snapshot = collector.collect(null, 300).await(5, TimeUnit.SECONDS); // later than the errors
        assertEquals(2, replies.size(), "one error reply per role: " + replies);
        for (Object reply : replies) {
            assertTrue(reply.toString().contains("format version 9 is not supported; this side speaks version 1"),
                    reply.toString());
        }
        assertEquals(2.0, role(snapshot, StatsProtocol.RELAY_ROLE).counters().get("stats.requests.malformed"));
    }

    private void verify(int events) throws Exception {
        VerifyRequestEncoder encoder = new VerifyRequestEncoder(events);
        for (int i = 0; i < events; i++) {
            encoder.add(new SignatureCheck(new byte[32], new byte[32], new byte[64]));
        }
        vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, encoder.finish()).await(5, TimeUnit.SECONDS);
    }

    private static NodeStats role(ClusterSnapshot snapshot, String role) {
        return snapshot.stats().stream().filter(stats -> stats.role().equals(role)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + role + " in " + snapshot));
    }
}
