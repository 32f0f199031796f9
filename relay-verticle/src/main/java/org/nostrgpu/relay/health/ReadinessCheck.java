package org.nostrgpu.relay.health;

import io.vertx.core.Future;

/** One condition of readiness, asked at every {@code GET /health/ready}. */
@FunctionalInterface
public interface ReadinessCheck {

    /** The outcome now; a failed future counts as not ready, with the failure's message. */
    Future<Outcome> check();

    /**
     * @param ready  whether this condition holds
     * @param detail what was found, in words, e.g. "open" or "no verification worker registered in the cluster"
     */
    record Outcome(boolean ready, String detail) {
        public static Outcome ready(String detail) {
            return new Outcome(true, detail);
        }

        public static Outcome notReady(String detail) {
            return new Outcome(false, detail);
        }
    }
}
