package org.nostrgpu.relay.health;

import io.vertx.core.Future;
import org.nostrgpu.common.config.VerificationSettings.Fallback;
import org.nostrgpu.relay.verify.VerificationPlan;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether this relay can verify a signature now, by some path: its own CPU (mode local, or the cpu fallback, which
 * answers whatever the workers do), a worker in its own JVM, or, with the reject fallback, a worker registered
 * somewhere in the cluster. Only a relay that would refuse every event is not ready.
 */
public final class VerificationReadiness implements ReadinessCheck {
    private final VerificationPlan plan;
    private final Fallback fallback;
    private final BooleanSupplier embeddedWorkerRunning;
    private final Supplier<Future<Boolean>> clusterWorkerRegistered;

    /**
     * @param embeddedWorkerRunning   whether the worker deployed in this JVM runs
     * @param clusterWorkerRegistered whether any member of the cluster consumes verification requests
     */
    public VerificationReadiness(VerificationPlan plan, Fallback fallback, BooleanSupplier embeddedWorkerRunning,
                                 Supplier<Future<Boolean>> clusterWorkerRegistered) {
        this.plan = plan;
        this.fallback = fallback;
        this.embeddedWorkerRunning = embeddedWorkerRunning;
        this.clusterWorkerRegistered = clusterWorkerRegistered;
    }

    @Override
    public Future<Outcome> check() {
        if (!plan.eventBus()) {
            return Future.succeededFuture(Outcome.ready("this relay's CPU threads (mode local)"));
        }
        if (fallback == Fallback.CPU) {
            return Future.succeededFuture(Outcome.ready("verification workers, else this relay's CPU (fallback cpu)"));
        }
        if (embeddedWorkerRunning.getAsBoolean()) {
            return Future.succeededFuture(Outcome.ready("a verification worker in this JVM"));
        }
        if (plan.workerless()) {
            return Future.succeededFuture(Outcome.notReady(
                    "no worker can answer (mode cluster without a cluster) and the fallback is reject"));
        }
        return clusterWorkerRegistered.get().map(registered -> registered
                ? Outcome.ready("a verification worker is registered in the cluster")
                : Outcome.notReady("no verification worker is registered in the cluster and the fallback is reject"));
    }
}
