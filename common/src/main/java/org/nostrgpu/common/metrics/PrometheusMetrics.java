package org.nostrgpu.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusRequestHandler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics set-up relay and worker share: one Prometheus registry per process holding both Vert.x's own
 * metrics (event bus, HTTP servers, worker pools, JVM) and the application's meters, served as Prometheus text
 * at {@code /metrics}.
 */
public final class PrometheusMetrics {
    private static final AtomicInteger REGISTRY_NAMES = new AtomicInteger();

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * A Vert.x builder whose own metrics are recorded in {@code registry}, through vertx-micrometer-metrics.
     * Add a cluster manager to it for clustered mode as usual.
     */
    public static VertxBuilder vertxBuilder(VertxOptions options, MeterRegistry registry) {
        VertxGaugeRepeats.install();
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                // vertx-micrometer-metrics keeps one registry per name, process-wide: without a name of its own,
                // a second Vert.x instance in the process would record into the first one's registry
                .setRegistryName("nostr-gpu-" + REGISTRY_NAMES.incrementAndGet());
        return Vertx.builder()
                .with(new VertxOptions(options).setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry));
    }

    /** Answers a request with the registry's current Prometheus text exposition; mount it on {@code GET /metrics}. */
    public static Handler<HttpServerRequest> scrapeHandler(PrometheusMeterRegistry registry) {
        return PrometheusRequestHandler.create(registry);
    }

    private PrometheusMetrics() {
    }
}
