package org.nostrgpu.worker.cuda;

import java.nio.ByteBuffer;

/**
 * What the verification pipeline needs from a GPU: a few slots (stream + buffers) that each take one
 * launch at a time. Every method is called from the one thread that opened the device. Any method may
 * throw an unchecked exception on a device error; the pipeline then closes the device and opens a new one.
 */
interface BatchDevice extends AutoCloseable {

    /** How many launches may be in flight at once. */
    int slots();

    /** The most records one launch takes. */
    int maxRecordsPerLaunch();

    /** The buffer to copy {@code records} records into (from index 0) for the next launch on {@code slot}. */
    ByteBuffer stage(int slot, int records);

    /**
     * Starts verifying the {@code records} records staged on {@code slot}; returns without waiting. The slot's
     * verdicts read NOT_VERIFIED (0) until the kernel writes them.
     */
    void launch(int slot, int records);

    /** Whether {@code slot}'s launch has finished, without waiting. */
    boolean isDone(int slot);

    /**
     * Waits for {@code slot}'s launch; its verdict codes ({@link org.nostrgpu.common.verify.Verdict#code()}) from
     * index 0, valid until the slot's next launch.
     */
    ByteBuffer awaitVerdicts(int slot);

    /** e.g. "cuda(NVIDIA H100 80GB HBM3, sm_90, driver 13.0)" */
    String describe();

    /** The kernel's key cache, e.g. "65536 entries of 656 bytes (41 MiB)" or why there is none. */
    String keyCache();

    @Override
    void close();

    @FunctionalInterface
    interface Opener {
        BatchDevice open() throws CudaUnavailableException;
    }
}
