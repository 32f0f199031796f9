package org.nostrgpu.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusterTls;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.StartupException;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.net.BindException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A verification worker verticle with its own Vert.x instance (alone or clustered), started and stopped as one. */
final class RunningWorker extends RunningService {
    /** Generous: a CUDA start loads the kernel and runs its self-test, a cluster join waits for Hazelcast. */
    private static final long START_TIMEOUT_S = 120;
    private static final long STOP_TIMEOUT_S = 45;

    private final VerificationWorkerVerticle verticle;
    private final String healthHost;

    /** Stopping undeploys the worker, then closes Vert.x (leaving the cluster). */
    private RunningWorker(Vertx vertx, VerificationWorkerVerticle verticle, String deploymentId, String healthHost) {
        // undeploying first answers every pending request SHUTTING_DOWN, so relays fall back at once
        super(new ShutdownSequence(RunningWorker.class.getName(),
                "shutting down: answering pending requests SHUTTING_DOWN, leaving the cluster",
                List.of(() -> vertx.undeploy(deploymentId), vertx::close), STOP_TIMEOUT_S));
        this.verticle = verticle;
        this.healthHost = healthHost;
    }

    static RunningWorker start(WorkerConfig config, ClusterOptions cluster, ClusterTls tls) throws Exception {
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
        Vertx vertx = ClusteredVertx.start(cluster, tls, new VertxOptions(), registry)
                .await(START_TIMEOUT_S, TimeUnit.SECONDS);
        try {
            VerificationWorkerVerticle verticle = new VerificationWorkerVerticle(config, registry);
            String deploymentId = vertx.deployVerticle(verticle)
                    .recover(failure -> Future.failedFuture(namingTheHealthPort(failure, config)))
                    .await(START_TIMEOUT_S, TimeUnit.SECONDS);
            return new RunningWorker(vertx, verticle, deploymentId, config.healthHost());
        } catch (Exception e) {
            vertx.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The worker's only listening socket is its health server: a bind failure is about that port. */
    private static Throwable namingTheHealthPort(Throwable failure, WorkerConfig config) {
        return Failures.find(failure, BindException.class)
                .<Throwable>map(bind -> new StartupException("health port " + config.healthHost() + ":"
                        + config.healthPort() + ": " + StartupException.clause(bind), failure))
                .orElse(failure);
    }

    /** The worker's status: 200 while it serves, 503 while stopping. */
    @Override
    String healthUrl() {
        return HealthUrlFile.url(healthHost, verticle.healthPort(), "/health");
    }

    VerificationWorkerVerticle verticle() {
        return verticle;
    }
}
