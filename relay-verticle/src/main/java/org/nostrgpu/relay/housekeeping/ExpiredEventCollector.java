package org.nostrgpu.relay.housekeeping;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.nostrgpu.relay.store.EventStore;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The NIP-40 garbage collector: every interval, removes the events whose expiration has passed
 * ({@link EventStore#removeExpired}, which also checkpoints the WAL) and logs how many went. A run never overlaps
 * the previous one; a failed run is logged and the next one tries again.
 */
public final class ExpiredEventCollector {
    private static final System.Logger LOG = System.getLogger(ExpiredEventCollector.class.getName());

    private final Vertx vertx;
    private final EventStore store;
    private final Duration interval;
    private final LongSupplier nowSeconds;
    private long timerId = -1;
    private Future<Integer> running;

    public ExpiredEventCollector(Vertx vertx, EventStore store, long intervalSeconds) {
        this(vertx, store, Duration.ofSeconds(intervalSeconds), () -> System.currentTimeMillis() / 1000);
    }

    public ExpiredEventCollector(Vertx vertx, EventStore store, Duration interval, LongSupplier nowSeconds) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("GC interval must be positive, got " + interval);
        }
        this.vertx = vertx;
        this.store = store;
        this.interval = interval;
        this.nowSeconds = nowSeconds;
    }

    public synchronized void start() {
        if (timerId < 0) {
            timerId = vertx.setPeriodic(interval.toMillis(), this::tick);
        }
    }

    public synchronized void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    /** A tick of the timer; one already on its way when {@link #stop} cancelled the timer starts nothing. */
    private synchronized void tick(long id) {
        if (id == timerId) {
            collectNow();
        }
    }

    /**
     * One collection now; completes with the number of events removed. While a collection is already running,
     * returns that one instead of starting another.
     */
    public synchronized Future<Integer> collectNow() {
        if (running != null) {
            return running;
        }
        long now = nowSeconds.getAsLong();
        long started = System.nanoTime();
        Future<Integer> run = store.removeExpired(now)
                .onSuccess(removed -> LOG.log(removed > 0 ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
                        "expired events removed: {0} in {1} ms", removed, (System.nanoTime() - started) / 1_000_000))
                .onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "expired event collection failed", failure));
        running = run;
        run.onComplete(done -> finished(run));
        return run;
    }

    private synchronized void finished(Future<Integer> run) {
        if (running == run) {
            running = null;
        }
    }
}
