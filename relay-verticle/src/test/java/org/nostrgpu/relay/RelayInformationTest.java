package org.nostrgpu.relay;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AuthSettings;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.RelayInfo;
import org.nostrgpu.relay.info.RelayInformationDocument;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NIP-11 on GET / with Accept: application/nostr+json, CORS, and the plain page for browsers. */
@ExtendWith(VertxExtension.class)
class RelayInformationTest {
    static final RelayInfo INFO = new RelayInfo("test relay", "for tests",
            "a".repeat(64), "mailto:ops@example.org", "");
    static final Limits LIMITS = new Limits(50_000, 7, 4, 300, 100, 10_000, 600, 86_400, 0);

    @TempDir
    static Path dataDir;
    static RelayNode relay;
    static HttpClient http;
    static Vertx clientVertx;

    @BeforeAll
    static void startRelay(Vertx vertx) throws Exception {
        RelayConfig config = new RelayConfig("127.0.0.1", 0, dataDir.toString(), LIMITS, INFO, 1, 64, 100, 2, 300, 1);
        relay = RelayNode.start(vertx, config, TestRelays.OPTIONS).await(15, TimeUnit.SECONDS);
        // One connection per request: a reused keep-alive connection sometimes left the next request of this
        // client unanswered (seen with the Vert.x 5.0.7 client only; curl and Python keep-alive clients were fine).
        // The client also runs on a Vert.x of its own: sharing the relay's event loops, a request still went
        // unanswered now and then (twice on 2026-12-05: once under load, once in a clean CI run).
        clientVertx = Vertx.vertx();
        http = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    @AfterAll
    static void stopRelay() throws Exception {
        http.close().await(15, TimeUnit.SECONDS);
        clientVertx.close().await(15, TimeUnit.SECONDS);
        relay.close().await(15, TimeUnit.SECONDS);
    }

    private record Reply(int status, MultiMap headers, String body) {
    }

    private static Reply request(HttpMethod method, String path, String... headers) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
                .setPort(relay.port()).setURI(path);
        for (int i = 0; i < headers.length; i += 2) {
            options.addHeader(headers[i], headers[i + 1]);
        }
        return http.request(options).compose(request -> request.send())
                .compose(response -> response.body().map(body ->
                        new Reply(response.statusCode(), response.headers(), body.toString())))
                        .await(15, TimeUnit.SECONDS);
    }

    @Test
    void documentDescribesTheRelayAndItsLimits() throws Exception {
        Reply reply = request(HttpMethod.GET, "/", "Accept", "application/nostr+json");
        assertEquals(200, reply.status());
        assertEquals("application/nostr+json", reply.headers().get("Content-Type"));
        assertEquals("*", reply.headers().get("Access-Control-Allow-Origin"));

        JsonObject document = new JsonObject(reply.body());
        assertEquals("test relay", document.getString("name"));
        assertEquals("for tests", document.getString("description"));
        assertEquals("a".repeat(64), document.getString("pubkey"));
        assertEquals("mailto:ops@example.org", document.getString("contact"));
        assertFalse(document.containsKey("icon"), "empty fields are left out");
        assertEquals(new JsonArray().add(1).add(9).add(11).add(40).add(42).add(45).add(70).add(77),
                document.getJsonArray("supported_nips"), "42 while NIP-42 is enabled (the default)");
        assertEquals("nostr-gpu-relay", document.getString("software"));
        assertFalse(document.getString("version").isBlank());

        JsonObject limitation = document.getJsonObject("limitation");
        assertEquals(50_000, limitation.getInteger("max_message_length"));
        assertEquals(7, limitation.getInteger("max_subscriptions"));
        assertEquals(4, limitation.getInteger("max_filters"));
        assertEquals(300, limitation.getInteger("max_limit"));
        assertEquals(100, limitation.getInteger("max_event_tags"));
        assertEquals(10_000, limitation.getInteger("max_content_length"));
        assertEquals(86_400, limitation.getLong("created_at_lower_limit"));
        assertEquals(600, limitation.getLong("created_at_upper_limit"));
        assertEquals(false, limitation.getBoolean("auth_required"));
        assertEquals(false, limitation.getBoolean("payment_required"));
        assertEquals(false, limitation.getBoolean("restricted_writes"));
    }

    @Test
    void nip42IsAdvertisedOnlyWhenEnabledAndTheRequirementsAreStated() {
        RelayConfig config = new RelayConfig("127.0.0.1", 0, dataDir.toString(), LIMITS, INFO, 1, 64, 100, 2, 300, 1);
        JsonObject off = RelayInformationDocument.build(config.withAuth(AuthSettings.disabled()), "test");
        assertFalse(off.getJsonArray("supported_nips").contains(42));
        assertTrue(off.getJsonArray("supported_nips").contains(70));

        JsonObject writes = RelayInformationDocument.build(
                config.withAuth(AuthSettings.defaults().required(true, false)), "test");
        assertEquals(false, writes.getJsonObject("limitation").getBoolean("auth_required"));
        assertEquals(true, writes.getJsonObject("limitation").getBoolean("restricted_writes"));

        JsonObject everything = RelayInformationDocument.build(
                config.withAuth(AuthSettings.defaults().required(true, true)), "test");
        assertEquals(true, everything.getJsonObject("limitation").getBoolean("auth_required"));
    }

    @Test
    void acceptHeaderWithSeveralTypesStillGetsTheDocument() throws Exception {
        Reply reply = request(HttpMethod.GET, "/", "Accept", "application/json, application/nostr+json;q=0.9");
        assertEquals("application/nostr+json", reply.headers().get("Content-Type"));
    }

    @Test
    void corsPreflightIsAnswered() throws Exception {
        Reply reply = request(HttpMethod.OPTIONS, "/", "Origin", "https://client.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "accept");
        assertTrue(reply.status() == 204 || reply.status() == 200, "status " + reply.status());
        assertEquals("*", reply.headers().get("Access-Control-Allow-Origin"));
        assertEquals("*", reply.headers().get("Access-Control-Allow-Headers"));
        assertTrue(reply.headers().get("Access-Control-Allow-Methods").contains("GET"));
    }

    @Test
    void plainGetExplainsThisIsANostrRelay() throws Exception {
        Reply reply = request(HttpMethod.GET, "/", "Accept", "text/html");
        assertEquals(200, reply.status());
        assertTrue(reply.headers().get("Content-Type").startsWith("text/plain"));
        assertTrue(reply.body().contains("Nostr relay"), reply.body());
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, request(HttpMethod.GET, "/favicon.ico").status());
        assertEquals(405, request(HttpMethod.POST, "/").status());
    }
}
