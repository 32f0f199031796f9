package org.nostrgpu.worker;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nostrgpu.common.config.WorkerConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.common.verify.Verdict.INVALID;
import static org.nostrgpu.common.verify.Verdict.VALID;
import static org.nostrgpu.worker.WorkerHarness.await;
import static org.nostrgpu.worker.WorkerHarness.checks;
import static org.nostrgpu.worker.WorkerHarness.request;

@ExtendWith(VertxExtension.class)
class WorkerHealthEndpointTest {

    @Test
    void healthReportsTheBackendAndLoadAndMetricsCarriesTheWorkerSeries(Vertx vertx) throws Exception {
        int port = freePort();
        ScriptedVerifier backend = new ScriptedVerifier(false);
        WorkerHarness harness = new WorkerHarness(vertx);
        WorkerConfig config = WorkerHarness.config(64, 2, 1_000).withHealthPort(port);
        VerificationWorkerVerticle worker = harness.deploy(config, backend);
        assertEquals(port, worker.healthPort());

        await(harness.send(request(checks("a", 3, VALID, INVALID))), 3); // valid, invalid, valid
        await(harness.send(request(checks("b", 2, VALID))), 2);

        // one connection per request, as in RelayInformationTest: reused Vert.x client connections sometimes stalled
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        Response health = get(http, port, "/health");
        assertEquals(200, health.status());
        assertEquals("application/json", health.contentType());
        JsonObject json = new JsonObject(health.body());
        assertEquals("UP", json.getString("status"));
        assertEquals("scripted(test)", json.getString("backend"));
        assertEquals("chosen by the test", json.getString("reason"));
        assertFalse(json.getBoolean("cuda"));
        assertEquals(0, json.getInteger("queueDepth"));
        assertEquals(0, json.getInteger("inFlightBatches"));
        assertEquals(64, json.getInteger("maxBatchSize"));
        assertEquals(2, json.getInteger("batches"));
        assertEquals(5, json.getLong("eventsBatched"));
        JsonObject routing = json.getJsonObject("routing");
        assertFalse(routing.getBoolean("hybrid"));
        assertEquals(new JsonObject().put("1..64", "scripted(test)"), routing.getJsonObject("batchSizes"));
        assertEquals(2, routing.getJsonObject("lanes").getJsonObject("cpu").getInteger("batches"));
        assertTrue(json.containsKey("keyCache") && json.getString("keyCache") == null, "no key cache on the CPU");

        Response metrics = get(http, port, "/metrics");
        assertEquals(200, metrics.status());
        String text = metrics.body();
        assertTrue(text.contains("nostr_worker_backend{backend=\"scripted(test)\",kind=\"cpu\",reason=\"chosen by the test\"} 1.0"), text);
        assertTrue(text.contains("nostr_worker_batch_size_events_count 2"), text);
        assertTrue(text.contains("nostr_worker_batch_size_events_sum 5.0"), text);
        assertTrue(text.contains("nostr_worker_verdicts_total{outcome=\"valid\"} 4.0"), text);
        assertTrue(text.contains("nostr_worker_verdicts_total{outcome=\"invalid\"} 1.0"), text);
        assertTrue(text.contains("nostr_worker_replies_total{status=\"ok\"} 2.0"), text);
        assertTrue(text.contains("nostr_worker_replies_total{status=\"overloaded\"} 0.0"), text);
        assertTrue(text.contains("nostr_worker_request_duration_seconds_count{status=\"ok\"} 2"), text);
        assertTrue(text.contains("nostr_worker_batch_duration_seconds_count 2"), text);
        assertTrue(text.contains("nostr_worker_queue_depth_events 0.0"), text);
        assertTrue(text.contains("nostr_worker_batches_in_flight 0.0"), text);
        assertTrue(text.contains("nostr_worker_lane_batches_total{lane=\"cpu\"} 2.0"), text);

        assertEquals(404, get(http, port, "/nothing").status());
        assertEquals(405, call(http, HttpMethod.POST, port, "/health").status());
        // closing it also keeps it referenced up to here: Vert.x 5 shuts down a garbage-collected client
        http.close().await(10, TimeUnit.SECONDS);

        vertx.undeploy(harness.deploymentId).await(10, TimeUnit.SECONDS);
        assertFalse(harness.registry.scrape().contains("nostr_worker_batch_size"), "meters are removed at stop");
    }

    private record Response(int status, String contentType, String body) {
    }

    private static Response get(HttpClient http, int port, String path) throws Exception {
        return call(http, HttpMethod.GET, port, path);
    }

    private static Response call(HttpClient http, HttpMethod method, int port, String path) throws Exception {
        // the body is read on the event loop as it arrives, not fetched afterwards
        return http.request(method, port, "127.0.0.1", path)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body ->
                        new Response(response.statusCode(), response.getHeader("content-type"), body.toString())))
                .await(5, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
