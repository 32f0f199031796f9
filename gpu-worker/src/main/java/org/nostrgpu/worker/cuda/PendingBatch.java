package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.SignatureBatch;

import java.util.concurrent.CompletableFuture;

/**
 * One caller's batch on its way through the pipeline: cut into launches of at most the device's maximum, its
 * verdicts written straight to the batch's destinations as each launch comes back, and answered once every
 * launch is back. The caller waits on {@link #done}; only the owner thread touches the rest.
 */
final class PendingBatch {
    final SignatureBatch batch;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private int launched;
    private int launchesOutstanding;

    PendingBatch(SignatureBatch batch) {
        this.batch = batch;
    }

    int size() {
        return batch.size();
    }

    /** Position of the first record not yet launched. */
    int launched() {
        return launched;
    }

    boolean fullyLaunched() {
        return launched == batch.size();
    }

    void markLaunched(int count) {
        launched += count;
        launchesOutstanding++;
    }

    /** One launch of this batch is back; answers the caller when it was the last. */
    void launchFinished() {
        launchesOutstanding--;
        if (launchesOutstanding == 0 && fullyLaunched()) {
            done.complete(null);
        }
    }

    /**
     * Answers every record as not verified, unless the caller already has its answer: verdicts of launches that
     * came back before a device error are withdrawn too, since the error may have touched them.
     */
    void failNotVerified() {
        if (!done.isDone()) {
            batch.clearVerdicts();
            done.complete(null);
        }
    }
}
