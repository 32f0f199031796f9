package org.nostrgpu.worker;

import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.worker.cuda.CudaDeviceInfo;

/**
 * The verifier a worker runs on, and why that one: e.g. "no CUDA driver: libcuda.so.1: cannot open shared
 * object file: No such file or directory" when the CPU had to do, for logs and health output.
 *
 * @param cudaDevice the GPU when the CUDA backend was chosen, otherwise null
 */
public record BackendSelection(SignatureVerifier verifier, String reason, CudaDeviceInfo cudaDevice) {

    public boolean usesCuda() {
        return cudaDevice != null;
    }

    /** e.g. "cpu(16 threads): no device" */
    public String summary() {
        return verifier.describe() + ": " + reason;
    }
}
