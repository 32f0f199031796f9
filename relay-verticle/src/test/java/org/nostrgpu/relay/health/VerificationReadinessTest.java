package org.nostrgpu.relay.health;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.config.VerificationSettings.Fallback;
import org.nostrgpu.common.config.VerificationSettings.Mode;
import org.nostrgpu.relay.verify.VerificationPlan;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only a relay that would refuse every event is not ready; the cluster is asked only when nothing else decides. */
class VerificationReadinessTest {
    private final AtomicInteger clusterAsked = new AtomicInteger();

    private ReadinessCheck.Outcome check(Mode mode, boolean clustered, Fallback fallback, boolean embeddedRunning,
                                         boolean workerInCluster) {
        VerificationReadiness readiness = new VerificationReadiness(VerificationPlan.choose(mode, clustered), fallback,
                () -> embeddedRunning, () -> {
            clusterAsked.incrementAndGet();
            return Future.succeededFuture(workerInCluster);
        });
        return readiness.check().result();
    }

    @Test
    void localVerificationAndTheCpuFallbackAreAlwaysAPath() {
        assertTrue(check(Mode.LOCAL, true, Fallback.REJECT, false, false).ready());
        assertTrue(check(Mode.CLUSTER, true, Fallback.CPU, false, false).ready());
        assertTrue(check(Mode.CLUSTER, false, Fallback.CPU, false, false).ready(), "workerless, but the CPU answers");
        assertEquals(0, clusterAsked.get());
    }

    @Test
    void withTheRejectFallbackAWorkerMustBeThere() {
        assertTrue(check(Mode.AUTO, false, Fallback.REJECT, true, false).ready(), "the worker in this JVM");
        assertFalse(check(Mode.CLUSTER, false, Fallback.REJECT, false, false).ready(), "no cluster, no worker");
        assertEquals(0, clusterAsked.get());

        ReadinessCheck.Outcome none = check(Mode.AUTO, true, Fallback.REJECT, false, false);
        assertFalse(none.ready());
        assertTrue(none.detail().contains("no verification worker is registered"), none.detail());
        assertTrue(check(Mode.CLUSTER, true, Fallback.REJECT, false, true).ready());
        assertEquals(2, clusterAsked.get());
    }
}
