package org.nostrgpu.relay.verify;

import org.nostrgpu.common.config.VerificationSettings.Mode;

/**
 * Which verification path a relay node takes, from the configured mode and whether it runs clustered, with the
 * reason in words for the start-up log and the metrics.
 *
 * @param eventBus       verify through workers on the event bus (otherwise on this node's CPU directly)
 * @param embeddedWorker deploy a verification worker in this JVM
 * @param reason         why, e.g. "mode auto, not clustered: a worker in this JVM on the local event bus"
 * @param workerless     no worker can ever answer (mode cluster without a cluster): every event falls back
 */
public record VerificationPlan(boolean eventBus, boolean embeddedWorker, String reason, boolean workerless) {

    public static VerificationPlan choose(Mode mode, boolean clustered) {
        return switch (mode) {
            case AUTO -> clustered
                    ? new VerificationPlan(true, false, "mode auto, clustered: the cluster's verification workers", false)
                    : new VerificationPlan(true, true,
                    "mode auto, not clustered: a verification worker in this JVM on the local event bus", false);
            case EMBEDDED -> new VerificationPlan(true, true, clustered
                    ? "mode embedded: a verification worker in this JVM, also serving the cluster's other relays"
                    : "mode embedded: a verification worker in this JVM on the local event bus", false);
            case CLUSTER -> clustered
                    ? new VerificationPlan(true, false, "mode cluster: the cluster's verification workers", false)
                    : new VerificationPlan(true, false,
                    "mode cluster, but this node is not clustered: no worker can answer, every event goes to the fallback",
                    true);
            case LOCAL -> new VerificationPlan(false, false,
                    "mode local: this relay's CPU threads, without event bus or worker", false);
        };
    }

    /** The path's name in the {@code nostr_relay_verify_path} metric. */
    public String metricName() {
        if (!eventBus) {
            return VerificationMetrics.LOCAL_PATH;
        }
        return embeddedWorker ? "embedded_worker" : "cluster_workers";
    }
}
