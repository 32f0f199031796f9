package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AuthSettings;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.verify.VerificationMetrics;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NIP-42 over a real WebSocket: the challenge on connect; kind-22242 events checked (relay URL, challenge,
 * created_at, id, signature on the verification path of every event); {@code auth-required:} for writes and reads
 * when configured; NIP-70 protected events accepted from their authenticated author only.
 */
@ExtendWith(VertxExtension.class)
class RelayAuthTest {
    private final EventSigner alice = EventSigner.random();
    private final EventSigner bob = EventSigner.random();

    @TempDir
    Path dataDir;

    @Test
    void aValidAuthEventAuthenticatesAndEveryBadClaimIsNamed(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, AuthSettings.defaults());
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            String challenge = client.challenge();
            String url = "ws://127.0.0.1:" + relay.port();
            assertRefused(client, authEvent(alice, 1, url, challenge), "invalid: an auth event must be of kind 22242");
            assertRefused(client, authEvent(alice, 22242, url, "not-the-challenge"), "invalid: the auth event's challenge");
            assertRefused(client, authEvent(alice, 22242, "wss://other.example", challenge),
                    "invalid: the auth event's relay tag");
            assertRefused(client, alice.sign(now() - 3_600, 22242, tags(url, challenge), ""),
                    "invalid: the auth event's created_at");
            assertRefused(client, TestRelays.withBadSignature(authEvent(alice, 22242, url, challenge)),
                    "invalid: bad signature");
            long verifiedBefore = relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH, Verdict.VALID);

            Event good = authEvent(alice, 22242, url + "/", challenge); // a trailing slash names the same relay
            JsonArray ok = client.publish(good).copy();
            client.send("[\"AUTH\"," + good.toJson() + "]");
            JsonArray authOk = client.next("OK");
            assertTrue(authOk.getBoolean(2), authOk.encode());
            assertEquals(verifiedBefore + 1, relay.verificationMetrics().count(VerificationMetrics.WORKER_PATH,
                    Verdict.VALID), "the signature went through the worker like any event's");
            assertFalse(ok.getBoolean(2), "the same kind-22242 event as EVENT is refused: " + ok.encode());
            assertTrue(ok.getString(3).startsWith("invalid: auth events"), ok.encode());
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void protectedEventsAreAcceptedFromTheirAuthenticatedAuthorOnly(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, AuthSettings.defaults());
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            Event protectedByAlice = alice.sign(now(), 1, List.of(List.of("-")), "only alice may publish this");
            JsonArray before = client.publish(protectedByAlice);
            assertFalse(before.getBoolean(2));
            assertTrue(before.getString(3).startsWith("auth-required: "), before.encode());

            authenticate(client, relay, bob);
            JsonArray asBob = client.publish(protectedByAlice);
            assertFalse(asBob.getBoolean(2));
            assertTrue(asBob.getString(3).startsWith("restricted: "), asBob.encode());

            authenticate(client, relay, alice);
            client.publishAccepted(protectedByAlice);
            assertEquals(1, client.req("p", "{\"ids\":[\"" + protectedByAlice.id() + "\"]}").size());
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void writesAndReadsCanRequireAuthentication(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, AuthSettings.defaults().required(true, true));
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            Event note = TestRelays.sign(alice, 1, List.of(), "after auth only");
            JsonArray refused = client.publish(note);
            assertFalse(refused.getBoolean(2));
            assertTrue(refused.getString(3).startsWith("auth-required: "), refused.encode());
            client.send("[\"REQ\",\"r\",{\"kinds\":[1]}]");
            JsonArray closed = client.next("CLOSED");
            assertTrue(closed.getString(2).startsWith("auth-required: "), closed.encode());
            client.send("[\"COUNT\",\"c\",{\"kinds\":[1]}]");
            assertTrue(client.next("CLOSED").getString(2).startsWith("auth-required: "));
            client.send("[\"NEG-OPEN\",\"n\",{\"kinds\":[1]},\"61\"]"); // NIP-77 reads the stored set too
            JsonArray negErr = client.next("NEG-ERR");
            assertEquals("n", negErr.getString(1));
            assertTrue(negErr.getString(2).startsWith("auth-required: "), negErr.encode());

            authenticate(client, relay, alice);
            client.publishAccepted(note);
            assertEquals(1, client.req("r", TestRelays.authorFilter(alice, "")).size());
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void withAuthDisabledThereIsNoChallengeAndProtectedEventsAreRefused(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, AuthSettings.disabled());
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            assertFalse(client.challenged(300));
            Event auth = authEvent(alice, 22242, "ws://127.0.0.1:" + relay.port(), "anything");
            client.send("[\"AUTH\"," + auth.toJson() + "]");
            JsonArray ok = client.next("OK");
            assertFalse(ok.getBoolean(2));
            assertTrue(ok.getString(3).startsWith("restricted: "), ok.encode());
            JsonArray refused = client.publish(alice.sign(now(), 1, List.of(List.of("-")), "protected"));
            assertTrue(refused.getString(3).startsWith("restricted: "), refused.encode());
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConfiguredRelayUrlIsTheOneThatCounts(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, AuthSettings.defaults().withRelayUrl("wss://relay.example.com"));
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            String challenge = client.challenge();
            assertRefused(client, authEvent(alice, 22242, "ws://127.0.0.1:" + relay.port(), challenge),
                    "invalid: the auth event's relay tag");
            client.send("[\"AUTH\"," + authEvent(alice, 22242, "wss://RELAY.example.com:443/", challenge).toJson() + "]");
            assertTrue(client.next("OK").getBoolean(2));
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    private RelayNode start(Vertx vertx, AuthSettings auth) throws Exception {
        RelayConfig config = TestRelays.config(dataDir, TestRelays.LIMITS).withAuth(auth);
        return TestRelays.start(vertx, config);
    }

    private static void authenticate(RelayTestClient client, RelayNode relay, EventSigner who) throws Exception {
        Event auth = authEvent(who, 22242, "ws://127.0.0.1:" + relay.port() + "/", client.challenge());
        client.send("[\"AUTH\"," + auth.toJson() + "]");
        JsonArray ok = client.next("OK");
        assertTrue(ok.getBoolean(2), ok.encode());
    }

    private static void assertRefused(RelayTestClient client, Event auth, String prefix) throws Exception {
        client.send("[\"AUTH\"," + auth.toJson() + "]");
        JsonArray ok = client.next("OK");
        RelayTestClient.assertOkShape(ok, auth.id());
        assertFalse(ok.getBoolean(2), ok.encode());
        assertTrue(ok.getString(3).startsWith(prefix), ok.encode());
    }

    private static Event authEvent(EventSigner who, int kind, String url, String challenge) {
        return who.sign(now(), kind, tags(url, challenge), "");
    }

    private static List<List<String>> tags(String url, String challenge) {
        return List.of(List.of("relay", url), List.of("challenge", challenge));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
