package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.config.VerificationSettings.Fallback;
import org.nostrgpu.common.config.VerificationSettings.Mode;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.verify.FallbackCause;
import org.nostrgpu.relay.verify.VerificationMetrics;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which verification path a node takes, end to end over a WebSocket: embedded worker, local CPU, no worker. */
@ExtendWith(VertxExtension.class)
class RelayVerificationPathTest {
    private final EventSigner author = EventSigner.random();

    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDefaultVerifiesThroughAWorkerInTheSameJvm(Vertx vertx) throws Exception {
        RelayNode relay = RelayNode.start(vertx, config(VerificationSettings.defaults()), TestRelays.OPTIONS)
                .await(15, TimeUnit.SECONDS);
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            assertTrue(relay.hasEmbeddedWorker());
            assertTrue(relay.verificationPath().startsWith("mode auto, not clustered"), relay.verificationPath());
            client.publishAccepted(event("through the worker"));
            JsonArray refused = client.publish(TestRelays.withBadSignature(event("bad")));
            assertEquals("invalid: bad signature", refused.getString(3));
            assertEquals(1, relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID));
            assertEquals(1, relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.INVALID));
            assertEquals(0, relay.verificationMetrics().fallbacks(FallbackCause.NO_WORKER));
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void localModeVerifiesOnTheRelaysOwnThreadsWithoutAWorker(Vertx vertx) throws Exception {
        RelayNode relay = RelayNode.start(vertx, config(VerificationSettings.defaults().withMode(Mode.LOCAL)), TestRelays.OPTIONS)
                .await(15, TimeUnit.SECONDS);
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            assertFalse(relay.hasEmbeddedWorker());
            client.publishAccepted(event("locally"));
            assertEquals(1, relay.verificationMetrics().count(VerificationMetrics.LOCAL_PATH, Verdict.VALID));
            assertEquals(0, relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID));
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutAnyWorkerTheCpuFallbackStillAcceptsGoodEventsAndRefusesBadOnes(Vertx vertx) throws Exception {
        RelayNode relay = RelayNode.start(vertx, config(VerificationSettings.defaults().withMode(Mode.CLUSTER)), TestRelays.OPTIONS)
                .await(15, TimeUnit.SECONDS);
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            Event good = event("fallback");
            client.publishAccepted(good);
            assertEquals("invalid: bad signature",
                    client.publish(TestRelays.withBadSignature(event("bad"))).getString(3));
            assertEquals(2, relay.verificationMetrics().fallbacks(FallbackCause.NO_WORKER));
            assertEquals(1, client.req("stored", "{\"ids\":[\"" + good.id() + "\"]}").size());
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutAnyWorkerTheRejectFallbackRefusesAndStoresNothing(Vertx vertx) throws Exception {
        RelayNode relay = RelayNode.start(vertx, config(VerificationSettings.defaults().withMode(Mode.CLUSTER).withFallback(Fallback.REJECT)), TestRelays.OPTIONS)
                .await(15, TimeUnit.SECONDS);
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            Event good = event("unverifiable");
            JsonArray ok = client.publish(good);
            assertEquals(false, ok.getBoolean(2));
            assertTrue(ok.getString(3).startsWith("error: ") && ok.getString(3).contains("verification unavailable"),
                    ok.encode());
            assertEquals(List.of(), client.req("stored", "{\"ids\":[\"" + good.id() + "\"]}"));
            // the client may retry: nothing about the event was remembered
            JsonArray again = client.publish(good);
            assertEquals(false, again.getBoolean(2));
            assertFalse(again.getString(3).startsWith("duplicate:"), again.encode());
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    private RelayConfig config(VerificationSettings verification) {
        return TestRelays.config(dataDir, TestRelays.LIMITS).withVerification(verification);
    }

    private Event event(String content) {
        return TestRelays.sign(author, 1, List.of(), content);
    }
}
