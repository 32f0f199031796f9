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

    /** The buffer to pack {@code records} records into (from index 0) for the next launch on {@code slot}. */
    ByteBuffer stage(int slot, int records);

    /** Starts verifying the {@code records} records staged on {@code slot}; returns without waiting. */
    void launch(int slot, int records);

    /** Waits for {@code slot}'s launch; its verdict codes from index 0, valid until the slot's next launch. */
    ByteBuffer awaitVerdicts(int slot);

    /** e.g. "cuda(NVIDIA H100 80GB HBM3, sm_90, driver 13.0)" */
    String describe();

    @Override
    void close();

    @FunctionalInterface
    interface Opener {
        BatchDevice open() throws CudaUnavailableException;
    }
}
