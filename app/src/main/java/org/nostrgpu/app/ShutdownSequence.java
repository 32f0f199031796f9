package org.nostrgpu.app;

import io.vertx.core.Future;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A process's close sequence, run once whether the shutdown hook, a test or both ask for it; the main thread
 * waits on it. Runs in the shutdown hook, so it reports through {@link OneLineLogFormat#printDirect}.
 *
 * <p>Each step is awaited from the calling thread before the next starts, rather than chained with
 * {@code compose}: the last step closes Vert.x, and a continuation bound to one of its event loops would be
 * rejected once that loop has terminated, leaving the sequence waiting forever.
 */
final class ShutdownSequence {
    private final String loggerName;
    private final String announcement;
    private final List<Supplier<Future<?>>> steps;
    private final long timeoutSeconds;
    private final CountDownLatch finished = new CountDownLatch(1);
    private boolean started;

    /**
     * @param announcement logged when the sequence starts, e.g. "shutting down: closing connections"
     * @param steps        each starts closing one part and completes when it is closed; run in order, and a
     *                     step that fails or times out does not keep the later ones from running
     * @param timeoutSeconds how long all steps together may take
     */
    ShutdownSequence(String loggerName, String announcement, List<Supplier<Future<?>>> steps, long timeoutSeconds) {
        this.loggerName = loggerName;
        this.announcement = announcement;
        this.steps = List.copyOf(steps);
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Closes, or waits for the close already running. Safe to call more than once and from several threads. */
    void run() {
        synchronized (this) {
            if (started) {
                awaitQuietly();
                return;
            }
            started = true;
        }
        OneLineLogFormat.printDirect(Level.INFO, loggerName, announcement);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        boolean clean = true;
        try {
            for (Supplier<Future<?>> step : steps) {
                clean &= runStep(step, deadline);
            }
            if (clean) {
                OneLineLogFormat.printDirect(Level.INFO, loggerName, "stopped cleanly");
            }
        } finally {
            finished.countDown();
        }
    }

    private boolean runStep(Supplier<Future<?>> step, long deadline) {
        try {
            long left = Math.max(1, deadline - System.nanoTime());
            step.get().toCompletionStage().toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            OneLineLogFormat.printDirect(Level.WARNING, loggerName, "shutdown interrupted");
            return false;
        } catch (Exception e) {
            OneLineLogFormat.printDirect(Level.WARNING, loggerName, "shutdown did not finish cleanly: " + e);
            return false;
        }
    }

    /** Blocks until {@link #run()} has finished. */
    void await() throws InterruptedException {
        finished.await();
    }

    private void awaitQuietly() {
        try {
            finished.await(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
