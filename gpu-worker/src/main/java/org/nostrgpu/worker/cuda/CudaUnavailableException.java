package org.nostrgpu.worker.cuda;

/** The CUDA backend cannot be used here; the message is the reason, fit for logs and health output. */
public final class CudaUnavailableException extends Exception {
    public CudaUnavailableException(String reason) {
        super(reason);
    }

    public CudaUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
