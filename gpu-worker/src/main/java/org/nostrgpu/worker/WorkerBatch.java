package org.nostrgpu.worker;

import org.nostrgpu.common.verify.SignatureBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * One backend call of the worker: runs of records taken from the heads of waiting requests (a request may be split
 * over several batches), each run's verdicts written straight into its request's reply. Built under the
 * {@link RecordBatcher}'s lock; settled once, when the backend call returns.
 */
final class WorkerBatch {
    final Lane lane;
    final SignatureBatch signatures;
    private final List<PendingRequest> requests;
    private final int[] counts;

    private WorkerBatch(Lane lane, SignatureBatch signatures, List<PendingRequest> requests, int[] counts) {
        this.lane = lane;
        this.signatures = signatures;
        this.requests = requests;
        this.counts = counts;
    }

    int size() {
        return signatures.size();
    }

    /** Each request whose records were in this batch learns that they are back, or that the backend failed. */
    void settle(Throwable failure) {
        for (int i = 0; i < requests.size(); i++) {
            requests.get(i).segmentDone(counts[i], failure);
        }
    }

    /** Collects runs for one batch. */
    static final class Builder {
        private final List<SignatureBatch.Run> runs = new ArrayList<>();
        private final List<PendingRequest> requests = new ArrayList<>();
        private int[] counts = new int[4];

        void add(PendingRequest request, int count) {
            runs.add(request.take(count));
            if (requests.size() == counts.length) {
                counts = java.util.Arrays.copyOf(counts, 2 * counts.length);
            }
            counts[requests.size()] = count;
            requests.add(request);
        }

        WorkerBatch build(Lane lane) {
            return new WorkerBatch(lane, SignatureBatch.of(runs), requests, counts);
        }
    }
}
