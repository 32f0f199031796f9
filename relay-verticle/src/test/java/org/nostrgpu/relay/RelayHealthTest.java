package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.worker.BackendSelection;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /health/live} and {@code /health/ready} on the relay's client port, through a real HTTP client. */
class RelayHealthTest {
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path data;

    private final List<Vertx> instances = new ArrayList<>();
    private final List<RelayNode> relays = new ArrayList<>();
    private Vertx clients;
    private HttpClient http;

    private record Answer(int status, JsonObject body) {
    }

    @BeforeEach
    void client() {
        clients = Vertx.vertx();
        http = clients.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        for (RelayNode relay : relays) {
            relay.close().await(15, TimeUnit.SECONDS);
        }
        http.close().await(15, TimeUnit.SECONDS);
        instances.add(clients);
        for (Vertx vertx : instances) {
            vertx.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void theEmbeddedDefaultIsLiveAndReadyWithItsStoreAndVerificationPath() throws Exception {
        RelayNode relay = start(Vertx.vertx(), VerificationSettings.defaults());

        Answer live = get(relay, "/health/live");
        assertEquals(200, live.status());
        assertEquals("UP", live.body().getString("status"));

        Answer ready = get(relay, "/health/ready");
        assertEquals(200, ready.status(), ready.body().encode());
        JsonObject checks = ready.body().getJsonObject("checks");
        assertEquals(new JsonObject().put("ready", true).put("detail", "open"), checks.getJsonObject("store"));
        assertTrue(checks.getJsonObject("verification").getBoolean("ready"));

        int refused = http.request(HttpMethod.POST, relay.port(), "127.0.0.1", "/health/ready")
                .compose(request -> request.send()).map(response -> response.statusCode())
                .await(15, TimeUnit.SECONDS);
        assertEquals(405, refused);
    }

    @Test
    void localVerificationIsAlwaysAPath() throws Exception {
        RelayNode relay = start(Vertx.vertx(), VerificationSettings.defaults()
                .withMode(VerificationSettings.Mode.LOCAL).withFallback(VerificationSettings.Fallback.REJECT));
        Answer ready = get(relay, "/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().getJsonObject("checks").getJsonObject("verification").getString("detail")
                .contains("CPU"), ready.body().encode());
    }

    /**
     * With the reject fallback a clustered relay can verify only through a worker: it is not ready while none is
     * registered anywhere in the cluster, and becomes ready once one joins.
     */
    @Test
    void aClusteredRelayThatRejectsWithoutAWorkerIsReadyOnlyOnceOneJoins() throws Exception {
        int relayPort = freePort();
        int workerPort = freePort();
        List<String> members = List.of("127.0.0.1:" + relayPort, "127.0.0.1:" + workerPort);
        Vertx relayVertx = cluster(relayPort, members);
        RelayNode relay = start(relayVertx, VerificationSettings.defaults()
                .withMode(VerificationSettings.Mode.CLUSTER).withFallback(VerificationSettings.Fallback.REJECT));

        Answer before = get(relay, "/health/ready");
        assertEquals(503, before.status(), before.body().encode());
        assertEquals("DOWN", before.body().getString("status"));
        assertTrue(before.body().getJsonObject("checks").getJsonObject("verification").getString("detail")
                .contains("no verification worker is registered"), before.body().encode());
        assertEquals(200, get(relay, "/health/live").status(), "alive all the same");

        Vertx workerVertx = cluster(workerPort, members);
        workerVertx.deployVerticle(new VerificationWorkerVerticle(
                WorkerConfig.defaults().withBackend("cpu").withCpuThreads(1).withHealthPort(0),
                PrometheusMetrics.newRegistry(),
                () -> new BackendSelection(new CpuSchnorrVerifier(1), "CPU backend for the health test", null)))
                .await(15, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Answer after = get(relay, "/health/ready");
        while (after.status() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            after = get(relay, "/health/ready");
        }
        assertEquals(200, after.status(), after.body().encode());
        assertTrue(after.body().getJsonObject("checks").getJsonObject("verification").getString("detail")
                .contains("registered in the cluster"), after.body().encode());
    }

    private RelayNode start(Vertx vertx, VerificationSettings verification) throws Exception {
        instances.add(vertx);
        RelayConfig config = TestRelays.config(data, Limits.defaults()).withVerification(verification);
        RelayNode relay = RelayNode.start(vertx, config, TestRelays.OPTIONS).await(15, TimeUnit.SECONDS);
        relays.add(0, relay);
        return relay;
    }

    private Vertx cluster(int port, List<String> members) throws Exception {
        Vertx vertx = ClusteredVertx.start(new ClusterOptions(true, "127.0.0.1", port, members, null),
                new VertxOptions()).await(15, TimeUnit.SECONDS);
        instances.add(0, vertx);
        return vertx;
    }

    private Answer get(RelayNode relay, String path) throws Exception {
        return http.request(HttpMethod.GET, relay.port(), "127.0.0.1", path)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(),
                        new JsonObject(body)))).await(15, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
