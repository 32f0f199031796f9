package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * BIP-340 verification on an NVIDIA GPU through the CUDA driver API (JCuda).
 *
 * <p>One dedicated thread owns the CUDA context, module, streams and buffers for the verifier's life
 * (see {@link DevicePipeline}); callers hand their batch to it through a queue and block until its verdicts
 * are back. Several callers' batches are pipelined: the upload of one overlaps the kernel of another.
 * A device error answers the affected batches as {@link Verdict#NOT_VERIFIED} (so relays fall back) and the
 * next batch runs on a freshly opened context. No check is ever reported valid unless the kernel said so
 * for that very check in that very launch.
 */
public final class CudaSchnorrVerifier implements SignatureVerifier {
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final BlockingQueue<PendingBatch> queue = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private final AtomicLong deviceFailures = new AtomicLong();
    private final Thread owner;
    private final String description;
    private boolean closed;

    /**
     * Opens the GPU, loads the kernel and allocates the buffers.
     *
     * @throws CudaUnavailableException with the reason ("no CUDA driver: …", "no device", "module failed to load: …")
     */
    public static CudaSchnorrVerifier open(CudaOptions options) throws CudaUnavailableException {
        byte[] ptx = KernelSource.load(options.ptxFile());
        return new CudaSchnorrVerifier(() -> CudaBatchDevice.open(options, ptx));
    }

    CudaSchnorrVerifier(BatchDevice.Opener opener) throws CudaUnavailableException {
        CompletableFuture<String> started = new CompletableFuture<>();
        owner = new Thread(new DevicePipeline(queue, opener, started, deviceFailures, this::markClosed),
                "cuda-verifier");
        owner.setDaemon(true);
        owner.start();
        try {
            description = started.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CudaUnavailableException unavailable) {
                throw unavailable;
            }
            throw new CudaUnavailableException("CUDA initialisation failed: " + cause, cause);
        }
    }

    @Override
    public List<Verdict> verify(List<SignatureCheck> checks) {
        if (checks.isEmpty()) {
            return List.of();
        }
        PendingBatch batch = new PendingBatch(checks);
        synchronized (lifecycle) {
            if (closed) {
                return PendingBatch.notVerified(checks.size());
            }
            queue.add(batch);
        }
        try {
            return batch.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PendingBatch.notVerified(checks.size());
        } catch (ExecutionException e) {
            return PendingBatch.notVerified(checks.size());
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Device errors since start (each failed its batches as not verified and re-initialised the device). */
    public long deviceFailures() {
        return deviceFailures.get();
    }

    /** Batches waiting for the owner thread (not counting the one it is working on). */
    int queuedBatches() {
        return queue.size();
    }

    /** Finishes the batches already queued, then releases the GPU; later batches answer not verified. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (!closed) {
                closed = true;
                queue.add(DevicePipeline.SHUTDOWN);
            }
        }
        try {
            owner.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void markClosed() {
        synchronized (lifecycle) {
            closed = true;
        }
    }
}
