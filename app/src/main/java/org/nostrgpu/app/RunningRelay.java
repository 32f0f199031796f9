package org.nostrgpu.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusterTls;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.relay.RelayNode;
import org.nostrgpu.relay.RelayNodeOptions;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** A relay node with its own Vert.x instance (alone or clustered), started and stopped as one. */
final class RunningRelay extends RunningService {
    /** Generous: a cluster join waits for Hazelcast, an embedded worker may load the CUDA kernel. */
    private static final long START_TIMEOUT_S = 120;
    private static final long STOP_TIMEOUT_S = 45;

    private final RelayNode node;
    private final String host;

    /** Stopping closes the relay (connections, pending writes, embedded worker, database), then Vert.x. */
    private RunningRelay(Vertx vertx, RelayNode node, String host) {
        super(new ShutdownSequence(RunningRelay.class.getName(),
                "shutting down: closing connections, committing pending writes",
                List.of(node::close, vertx::close), STOP_TIMEOUT_S));
        this.node = node;
        this.host = host;
    }

    static RunningRelay start(RelayConfig config, ClusterOptions cluster, ClusterTls tls) throws Exception {
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, config.eventLoops()));
        Vertx vertx = ClusteredVertx.start(cluster, tls, options, registry).await(START_TIMEOUT_S, TimeUnit.SECONDS);
        try {
            RelayNode node = RelayNode.start(vertx, config, RelayNodeOptions.defaults().withRegistry(registry)
                    .withEmbeddedWorker(VerificationWorkerVerticle::embeddedIn))
                    .await(START_TIMEOUT_S, TimeUnit.SECONDS);
            return new RunningRelay(vertx, node, config.host());
        } catch (Exception e) {
            vertx.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Readiness: the store is open and signatures can be verified (see the relay's health package). */
    @Override
    String healthUrl() {
        return HealthUrlFile.url(host, node.port(), "/health/ready");
    }

    int port() {
        return node.port();
    }

    RelayNode node() {
        return node;
    }
}
