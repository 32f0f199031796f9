package org.nostrgpu.worker;

import org.nostrgpu.common.verify.SignatureVerifier;

/**
 * A backend the worker's batches go to, with how many of its batches may run at once. A GPU worker has two: the
 * GPU for large batches and CPU threads for batches below the crossover. Counters are guarded by the
 * {@link RecordBatcher}'s lock.
 */
final class Lane {
    final String name;
    final SignatureVerifier verifier;
    final int slots;
    int busy;
    long batches;
    long events;

    /**
     * @param name  "gpu" or "cpu", for health output and metrics
     * @param slots batches of this lane running at once (at least 1)
     */
    Lane(String name, SignatureVerifier verifier, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException(name + " lane needs at least one slot, got " + slots);
        }
        this.name = name;
        this.verifier = verifier;
        this.slots = slots;
    }

    boolean hasFreeSlot() {
        return busy < slots;
    }
}
