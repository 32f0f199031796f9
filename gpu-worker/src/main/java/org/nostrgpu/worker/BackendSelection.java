package org.nostrgpu.worker;

import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.worker.cuda.CudaDeviceInfo;

/**
 * The verifier a worker runs on, and why that one: e.g. "no CUDA driver: libcuda.so.1: cannot open shared
 * object file: No such file or directory" when the CPU had to do, for logs and health output.
 *
 * @param cudaDevice   the GPU when the CUDA backend was chosen, otherwise null
 * @param smallBatches CPU threads for the batches below the crossover beside a GPU ({@code cpu-below-crossover}),
 *                     otherwise null
 * @param keyCache     the GPU kernel's key cache as opened, e.g. "65536 entries of 656 bytes (41 MiB)"; null on the CPU
 */
public record BackendSelection(SignatureVerifier verifier, String reason, CudaDeviceInfo cudaDevice,
                               SignatureVerifier smallBatches, String keyCache) {

    /** A single-backend selection: no CPU lane beside it, no key cache. */
    public BackendSelection(SignatureVerifier verifier, String reason, CudaDeviceInfo cudaDevice) {
        this(verifier, reason, cudaDevice, null, null);
    }

    public boolean usesCuda() {
        return cudaDevice != null;
    }

    /** Whether batches below a crossover go to {@link #smallBatches()}. */
    public boolean hybrid() {
        return smallBatches != null;
    }

    /** The same selection with {@code cpu} taking the batches below the crossover. */
    public BackendSelection withSmallBatches(SignatureVerifier cpu) {
        return new BackendSelection(verifier, reason, cudaDevice, cpu, keyCache);
    }

    /** e.g. "cpu(16 threads): no device" */
    public String summary() {
        return verifier.describe() + ": " + reason
                + (smallBatches == null ? "" : "; batches below the crossover on " + smallBatches.describe())
                + (keyCache == null ? "" : "; key cache " + keyCache);
    }

    /** Closes the backends. */
    public void close() {
        verifier.close();
        if (smallBatches != null) {
            smallBatches.close();
        }
    }
}
