package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.WorkerConfig;

/**
 * What a relay node gets from the process around it, besides its {@link RelayConfig}.
 *
 * @param registry       the process's metrics registry, the one Vert.x records into (see
 *                       {@link org.nostrgpu.common.metrics.PrometheusMetrics#vertxBuilder}), served at
 *                       {@code GET /metrics}; null for a registry of the node's own (without Vert.x's metrics)
 * @param embeddedWorker configuration of the worker deployed in this JVM when the verification path has one;
 *                       null for the default: {@code backend auto}, the relay's {@code verifier-threads}, no
 *                       separate health server (the relay's {@code /metrics} shows the worker's meters)
 */
public record RelayNodeOptions(PrometheusMeterRegistry registry, WorkerConfig embeddedWorker) {

    public static RelayNodeOptions defaults() {
        return new RelayNodeOptions(null, null);
    }

    public RelayNodeOptions withRegistry(PrometheusMeterRegistry newRegistry) {
        return new RelayNodeOptions(newRegistry, embeddedWorker);
    }

    public RelayNodeOptions withEmbeddedWorker(WorkerConfig worker) {
        return new RelayNodeOptions(registry, worker);
    }

    WorkerConfig embeddedWorkerFor(RelayConfig config) {
        return embeddedWorker != null ? embeddedWorker
                : WorkerConfig.defaults().withCpuThreads(config.verifierThreads()).withHealthPort(0);
    }
}
