package org.nostrgpu.common.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusMetricsTest {
    private final PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
    private final Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void metricsServesVertxAndApplicationMetersAsPrometheusText() throws Exception {
        registry.counter("nostr.test.things", "kind", "demo").increment(3);
        vertx.eventBus().consumer("test.address", message -> message.reply("pong"));
        vertx.eventBus().request("test.address", "ping").await(10, TimeUnit.SECONDS);

        int port = vertx.createHttpServer()
                .requestHandler(PrometheusMetrics.scrapeHandler(registry))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        // The body is read inside the same chain: asking for it later, from the test thread, races with the
        // response's end and can wait forever.
        // Referenced until closed: Vert.x 5 shuts down a client that is garbage collected, even mid-request.
        HttpClient client = vertx.createHttpClient();
        Scrape scrape = client
                .request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
                .compose(request -> request.send())
                .compose(response -> response.body().map(body ->
                        new Scrape(response.statusCode(), response.getHeader("content-type"), body.toString())))
                .await(10, TimeUnit.SECONDS);
        client.close().await(10, TimeUnit.SECONDS);
        String body = scrape.body();

        assertEquals(200, scrape.status());
        assertTrue(scrape.contentType().startsWith("text/plain"), scrape.contentType());
        assertTrue(body.contains("nostr_test_things_total{kind=\"demo\"} 3.0"), body);
        assertTrue(body.contains("vertx_eventbus_processed_total"), "Vert.x's own event-bus metrics");
        assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics");
    }

    private record Scrape(int status, String contentType, String body) {
    }
}
