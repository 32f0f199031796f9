package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.nostrgpu.common.config.RelayConfig;

/**
 * What a relay node gets from the process around it, besides its {@link RelayConfig}.
 *
 * @param registry       the process's metrics registry, the one Vert.x records into (see
 *                       {@link org.nostrgpu.common.metrics.PrometheusMetrics#vertxBuilder}), served at
 *                       {@code GET /metrics}; null for a registry of the node's own (without Vert.x's metrics)
 * @param embeddedWorker makes the worker deployed in this JVM when the verification plan has one; null when the
 *                       process has none to offer, in which case such a plan fails the start with a clear message
 */
public record RelayNodeOptions(PrometheusMeterRegistry registry, EmbeddedWorkerFactory embeddedWorker) {

    public static RelayNodeOptions defaults() {
        return new RelayNodeOptions(null, null);
    }

    public RelayNodeOptions withRegistry(PrometheusMeterRegistry newRegistry) {
        return new RelayNodeOptions(newRegistry, embeddedWorker);
    }

    public RelayNodeOptions withEmbeddedWorker(EmbeddedWorkerFactory factory) {
        return new RelayNodeOptions(registry, factory);
    }
}
