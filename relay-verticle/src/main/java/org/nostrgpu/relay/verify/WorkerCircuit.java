package org.nostrgpu.relay.verify;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;

/**
 * The circuit between this relay and its verification workers, on Vert.x's circuit breaker. One fault (a missed
 * deadline, an OVERLOADED, DEVICE_ERROR or SHUTTING_DOWN reply, a failed request) opens it; while it is open, events
 * go to the fallback without being sent. Every probe interval the breaker turns half-open and {@code probe} runs: its
 * attempt is the only one let through, and it closes the circuit when it succeeds or opens it for another interval
 * when it fails. Traffic only ever uses the circuit while it is closed ({@link #isClosed()}), so a probe is never
 * displaced by a large request.
 *
 * <p>The event-bus address is one for all workers (Vert.x picks the consumer), so this is one circuit for all of
 * them: a relay cannot stop sending to one worker and keep sending to the others.
 */
final class WorkerCircuit implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WorkerCircuit.class.getName());

    private final CircuitBreaker breaker;
    private final long probeIntervalMs;
    private volatile WorkerFault lastFault;
    /**
     * Set the moment an attempt fails, cleared when the breaker closes: the breaker itself opens a little later, on
     * its context, and events sent in between would each wait for another deadline.
     */
    private volatile boolean tripped;
    /** Whether the opening was logged; a probe that fails opens the circuit again without a new line. */
    private volatile boolean reportedOpen;

    WorkerCircuit(Vertx vertx, long probeIntervalMs, Runnable probe) {
        this.probeIntervalMs = probeIntervalMs;
        this.breaker = CircuitBreaker.create("nostr-verification-workers", vertx, new CircuitBreakerOptions()
                .setMaxFailures(1)
                .setTimeout(-1) // the deadline is adaptive and enforced by the caller
                .setResetTimeout(probeIntervalMs)
                .setNotificationAddress(null)); // no state broadcasts over the (possibly clustered) event bus
        breaker.openHandler(ignored -> opened());
        breaker.halfOpenHandler(ignored -> vertx.runOnContext(v -> probe.run()));
        breaker.closeHandler(ignored -> {
            tripped = false;
            if (reportedOpen) {
                reportedOpen = false;
                LOG.log(Level.INFO, "a verification worker answered in time again; circuit closed, events go to the workers");
            }
        });
    }

    /** True while requests may be sent; otherwise events go to the fallback at once. */
    boolean isClosed() {
        return !tripped && breaker.state() == CircuitBreakerState.CLOSED;
    }

    /** 1 while the circuit is open or half-open (probing), 0 while closed; for the metrics. */
    int openGauge() {
        return isClosed() ? 0 : 1;
    }

    /**
     * Runs one attempt through the breaker: {@code attempt} completes its promise when the workers answered in time,
     * or hands it to {@link #fault} (which opens the circuit). The returned future fails with
     * {@link OpenCircuitException} when the attempt was not let through.
     */
    Future<Void> attempt(Handler<Promise<Void>> attempt) {
        return breaker.execute(attempt);
    }

    /** Fails an attempt with this fault; the circuit opens (the log line names the fault). */
    void fault(Promise<Void> attempt, WorkerFault fault) {
        lastFault = fault;
        if (attempt.tryFail(fault)) {
            tripped = true;
        }
    }

    static boolean wasShortCircuited(Throwable failure) {
        return failure instanceof OpenCircuitException;
    }

    private void opened() {
        if (reportedOpen) {
            return;
        }
        reportedOpen = true;
        WorkerFault fault = lastFault;
        LOG.log(Level.WARNING, (fault == null ? "the verification workers failed" : fault.getMessage())
                + "; circuit open: events go to the fallback at once, probing a worker every " + probeIntervalMs + " ms");
    }

    @Override
    public void close() {
        breaker.close();
    }
}
