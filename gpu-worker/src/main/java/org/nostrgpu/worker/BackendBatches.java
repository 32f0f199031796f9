package org.nostrgpu.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batch processor behind the worker's {@link org.nostrgpu.common.batch.AdaptiveBatcher}: runs each batch on
 * the blocking backend through a bounded worker executor (never on an event loop) and records its size, time and
 * verdicts. Once stopping, batches still waiting in the batcher are answered NOT_VERIFIED without touching the
 * backend (their requests were already answered SHUTTING_DOWN), and {@link #drained()} completes when the last
 * running backend call returns, so the backend can be closed safely.
 */
final class BackendBatches {
    private final SignatureVerifier verifier;
    private final WorkerExecutor executor;
    private final WorkerMetrics metrics;
    private final AtomicInteger running = new AtomicInteger();
    private final Promise<Void> drained = Promise.promise();
    private volatile boolean stopping;

    BackendBatches(SignatureVerifier verifier, WorkerExecutor executor, WorkerMetrics metrics) {
        this.verifier = verifier;
        this.executor = executor;
        this.metrics = metrics;
    }

    Future<List<Verdict>> run(List<SignatureCheck> batch) {
        if (stopping) {
            return Future.succeededFuture(Collections.nCopies(batch.size(), Verdict.NOT_VERIFIED));
        }
        running.incrementAndGet();
        long start = System.nanoTime();
        return executor.executeBlocking(() -> verifier.verify(batch), false)
                .andThen(outcome -> {
                    metrics.batchFinished(batch.size(), System.nanoTime() - start,
                            outcome.succeeded() && outcome.result().size() == batch.size() ? outcome.result() : null);
                    if (running.decrementAndGet() == 0 && stopping) {
                        drained.tryComplete();
                    }
                });
    }

    /** Backend calls running now. */
    int running() {
        return running.get();
    }

    /** Stops sending batches to the backend; completes once none is running. */
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
