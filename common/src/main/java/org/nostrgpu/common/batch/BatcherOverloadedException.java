package org.nostrgpu.common.batch;

/**
 * Refusal of a submitted item because the batcher already holds its maximum number of waiting items.
 * Raised at once, so the caller can answer or fall back instead of waiting for a timeout.
 */
public final class BatcherOverloadedException extends RuntimeException {
    private final int maxQueued;

    public BatcherOverloadedException(String batcherName, int maxQueued) {
        // no stack trace: under overload these are made by the thousand and the message says everything
        super(batcherName + " is overloaded: " + maxQueued + " items already waiting", null, false, false);
        this.maxQueued = maxQueued;
    }

    public int maxQueued() {
        return maxQueued;
    }
}
