package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's batch on its way through the pipeline: cut into launches of at most the device's maximum,
 * answered once every launch is back. The caller waits on {@link #result}; only the owner thread touches
 * the rest.
 */
final class PendingBatch {
    final List<SignatureCheck> checks;
    final CompletableFuture<List<Verdict>> result = new CompletableFuture<>();
    private final Verdict[] verdicts;
    private int launched;
    private int launchesOutstanding;

    PendingBatch(List<SignatureCheck> checks) {
        this.checks = checks;
        this.verdicts = new Verdict[checks.size()];
    }

    int size() {
        return checks.size();
    }

    /** Index of the first check not yet launched. */
    int launched() {
        return launched;
    }

    boolean fullyLaunched() {
        return launched == checks.size();
    }

    void markLaunched(int count) {
        launched += count;
        launchesOutstanding++;
    }

    Verdict[] verdicts() {
        return verdicts;
    }

    /** One launch of this batch is back; answers the caller when it was the last. */
    void launchFinished() {
        launchesOutstanding--;
        if (launchesOutstanding == 0 && fullyLaunched()) {
            result.complete(Arrays.asList(verdicts));
        }
    }

    /** Answers every check as not verified, unless the caller already has its answer. */
    void failNotVerified() {
        result.complete(notVerified(checks.size()));
    }

    static List<Verdict> notVerified(int size) {
        Verdict[] all = new Verdict[size];
        Arrays.fill(all, Verdict.NOT_VERIFIED);
        return Arrays.asList(all);
    }
}
