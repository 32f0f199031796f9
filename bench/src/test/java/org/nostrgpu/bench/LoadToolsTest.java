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

        QueryLoad.Result query = QueryLoad.run(vertx, url, 20, 100, 2);
        assertEquals(10, query.authors(), "the refused event's author is not stored");
        assertEquals(20.0, query.eventsPerQuery(), 0.0, "each of the 10 authors has 20 events");
        assertTrue(query.queriesPerSecond() > 0);
    }
}
