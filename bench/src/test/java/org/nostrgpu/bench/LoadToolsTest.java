package org.nostrgpu.bench;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.relay.RelayNode;
import org.nostrgpu.relay.RelayNodeOptions;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tools against a real embedded relay: small inputs, no assertion on speed. */
class LoadToolsTest {
    @TempDir
    static Path dataDir;
    static Vertx vertx;
    static RelayNode relay;
    static String url;

    @BeforeAll
    static void startRelay() throws Exception {
        vertx = Vertx.vertx();
        RelayConfig config = RelayConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dataDir.toString());
        relay = RelayNode.start(vertx, config,
                RelayNodeOptions.defaults().withEmbeddedWorker(VerificationWorkerVerticle::embeddedIn))
                .await(30, TimeUnit.SECONDS);
        url = "ws://127.0.0.1:" + relay.port() + "/";
    }

    @AfterAll
    static void stopRelay() throws Exception {
        relay.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void ingestCountsAcceptedAndRefusedEventsThenQueriesFindThem() throws Exception {
        List<String> corpus = new ArrayList<>(Corpus.generate(200, 10));
        // a second copy of the first five: the relay answers OK true "duplicate: ..." for them
        corpus.addAll(corpus.subList(0, 5));
        // one event whose signature is wrong: OK false "invalid: ..."
        Event signed = EventSigner.random().sign(System.currentTimeMillis() / 1000, 1, List.of(), "bad signature");
        String wrongSig = (signed.sig().charAt(0) == '0' ? "1" : "0") + signed.sig().substring(1);
        corpus.add(new Event(signed.id(), signed.pubkey(), signed.createdAt(), signed.kind(), signed.tags(),
                signed.content(), wrongSig).toJson());

        IngestLoad.Result ingest = IngestLoad.run(vertx, url, 4, 16, 60, corpus);

        assertEquals(206, ingest.events());
        assertEquals(205, ingest.accepted(), ingest.describe());
        assertEquals(Map.of("invalid", 1L), ingest.refusedByReason(), ingest.describe());

        QueryLoad.Report query = QueryLoad.run(vertx, new QueryLoad.Options(url, "all,mix", 20, 2, 2, 10, 20, 0));
        assertEquals(10, query.sample().authors().size(), "the refused event's author is not stored");
        assertEquals(QueryShape.values().length + 1, query.results().size(), String.join("\n", query.lines()));
        for (QueryLoad.Result result : query.results()) {
            assertEquals(20, result.queries());
            assertTrue(result.eventsPerQuery() > 0, result.describe());
            assertTrue(result.queriesPerSecond() > 0, result.describe());
        }
        assertEquals(10.0, query.results().get(QueryShape.AUTHORS.ordinal()).eventsPerQuery(), 0.0,
                "each of the 10 authors has 20 events; the limit is 10");
        assertEquals(10.0, query.results().get(QueryShape.IDS.ordinal()).eventsPerQuery(), 0.0, "10 known ids each");
    }

    @Test
    void fanOutCountsTheFramesOfEverySubscription() throws Exception {
        FanOutLoad.Result fanOut = FanOutLoad.run(vertx, url, 2, 3, 20, 1, 2, Corpus.generate(100, 5), 0);
        assertTrue(fanOut.acceptedPerSecond() > 0, fanOut.describe());
        assertTrue(fanOut.framesPerSecond() >= 2 * 3 * fanOut.acceptedPerSecond() * 0.5, fanOut.describe());
        assertTrue(fanOut.timedDeliveries() > 0, fanOut.describe());
    }
}
