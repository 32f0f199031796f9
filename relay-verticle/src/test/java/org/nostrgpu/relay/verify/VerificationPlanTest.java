package org.nostrgpu.relay.verify;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.config.VerificationSettings.Mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerificationPlanTest {

    @Test
    void autoEmbedsAWorkerOnlyWithoutACluster() {
        VerificationPlan alone = VerificationPlan.choose(Mode.AUTO, false);
        assertTrue(alone.eventBus() && alone.embeddedWorker());
        VerificationPlan clustered = VerificationPlan.choose(Mode.AUTO, true);
        assertTrue(clustered.eventBus());
        assertFalse(clustered.embeddedWorker());
        assertEquals("cluster_workers", clustered.metricName());
    }

    @Test
    void embeddedAlwaysDeploysAWorkerAndClusterNever() {
        assertTrue(VerificationPlan.choose(Mode.EMBEDDED, true).embeddedWorker());
        assertTrue(VerificationPlan.choose(Mode.EMBEDDED, false).embeddedWorker());
        assertFalse(VerificationPlan.choose(Mode.CLUSTER, true).embeddedWorker());
        assertFalse(VerificationPlan.choose(Mode.CLUSTER, true).workerless());
    }

    @Test
    void clusterModeWithoutAClusterIsFlaggedAsWorkerless() {
        VerificationPlan plan = VerificationPlan.choose(Mode.CLUSTER, false);
        assertTrue(plan.workerless());
        assertTrue(plan.reason().contains("fallback"), plan.reason());
    }

    @Test
    void localUsesNeitherEventBusNorWorker() {
        VerificationPlan plan = VerificationPlan.choose(Mode.LOCAL, true);
        assertFalse(plan.eventBus());
        assertFalse(plan.embeddedWorker());
        assertEquals(VerificationMetrics.LOCAL_PATH, plan.metricName());
    }
}
