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
 * @param catchUpRequestTimeoutMs how long a clustered node waits for each answer of the cluster catch-up
 *                       ({@link org.nostrgpu.relay.cluster.ClusterCatchUp}) before going on without it; a peer the
 *                       event bus cannot reach (TLS refused) is noticed only by this timeout
 */
public record RelayNodeOptions(PrometheusMeterRegistry registry, EmbeddedWorkerFactory embeddedWorker,
                               long catchUpRequestTimeoutMs) {
    /** Long enough for a peer to load the (created_at, id) set of tens of millions of events before it answers. */
    public static final long DEFAULT_CATCH_UP_REQUEST_TIMEOUT_MS = 120_000;

    public static RelayNodeOptions defaults() {
        return new RelayNodeOptions(null, null, DEFAULT_CATCH_UP_REQUEST_TIMEOUT_MS);
    }

    public RelayNodeOptions withRegistry(PrometheusMeterRegistry newRegistry) {
        return new RelayNodeOptions(newRegistry, embeddedWorker, catchUpRequestTimeoutMs);
    }

    public RelayNodeOptions withEmbeddedWorker(EmbeddedWorkerFactory factory) {
        return new RelayNodeOptions(registry, factory, catchUpRequestTimeoutMs);
    }

    public RelayNodeOptions withCatchUpRequestTimeoutMs(long millis) {
        return new RelayNodeOptions(registry, embeddedWorker, millis);
    }
}
