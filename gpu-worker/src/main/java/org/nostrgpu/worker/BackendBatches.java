package org.nostrgpu.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backend behind the worker's {@link RecordBatcher}: runs each batch on its lane's blocking verifier through a
 * bounded worker executor (never on an event loop) and records its size, time and verdicts. Once stopping, batches
 * still cut are not run (their requests were already answered SHUTTING_DOWN), and {@link #drained()} completes when
 * the last running backend call returns, so the backends can be closed safely.
 */
final class BackendBatches {
    private final WorkerExecutor executor;
    private final WorkerMetrics metrics;
    private final AtomicInteger running = new AtomicInteger();
    private final Promise<Void> drained = Promise.promise();
    private volatile boolean stopping;

    BackendBatches(WorkerExecutor executor, WorkerMetrics metrics) {
        this.executor = executor;
        this.metrics = metrics;
    }

    Future<?> run(WorkerBatch batch) {
        if (stopping) {
            return Future.succeededFuture();
        }
        running.incrementAndGet();
        long start = System.nanoTime();
        return executor.executeBlocking(() -> {
            batch.lane.verifier.verify(batch.signatures);
            // counted here, off the event loop: one pass over the verdict bytes
            return batch.signatures.countVerdicts();
        }, false).andThen(outcome -> {
            metrics.batchFinished(batch.lane.name, batch.size(), System.nanoTime() - start,
                    outcome.succeeded() ? outcome.result() : null);
            if (running.decrementAndGet() == 0 && stopping) {
                drained.tryComplete();
            }
        });
    }

    /** Backend calls running now. */
    int running() {
        return running.get();
    }

    /** Stops sending batches to the backends; completes once none is running. */
    Future<Void> stop() {
        stopping = true;
        if (running.get() == 0) {
            drained.tryComplete();
        }
        return drained();
    }

    Future<Void> drained() {
        return drained.future();
    }
}
