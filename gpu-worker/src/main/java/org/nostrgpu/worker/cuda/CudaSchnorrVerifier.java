package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

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
 * <p>One dedicated thread owns the CUDA context, module, key cache, streams and buffers for the verifier's life
 * (see {@link DevicePipeline}); callers hand their batch to it through a queue and block until its verdicts
 * are written. The records travel as blocks from where the caller holds them into pinned memory, and the kernel's
 * verdict bytes (the event bus's codes) go straight to the batch's destinations. Several callers' batches are
 * pipelined: the copy and upload of one overlap the kernel of another. A device error answers the affected batches
 * as {@link Verdict#NOT_VERIFIED} (so relays fall back) and the next batch runs on a freshly opened context. No
 * record is ever reported decided unless the kernel decided it in that very launch.
 */
public final class CudaSchnorrVerifier implements SignatureVerifier {
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final BlockingQueue<PendingBatch> queue = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private final AtomicLong deviceFailures = new AtomicLong();
    private final StageTimings timings = new StageTimings();
    private final Thread owner;
    private final String description;
    private final String keyCache;
    private boolean closed;

    /**
     * Opens the GPU, loads the kernel and allocates the key cache and the buffers.
     *
     * @throws CudaUnavailableException with the reason ("no CUDA driver: …", "no device", "module failed to load: …")
     */
    public static CudaSchnorrVerifier open(CudaOptions options) throws CudaUnavailableException {
        byte[] ptx = KernelSource.load(options.ptxFile());
        return new CudaSchnorrVerifier(timings -> CudaBatchDevice.open(options, ptx, timings));
    }

    /** Opens devices through {@code opener}, which is given the verifier's {@link StageTimings}. */
    interface DeviceFactory {
        BatchDevice open(StageTimings timings) throws CudaUnavailableException;
    }

    CudaSchnorrVerifier(BatchDevice.Opener opener) throws CudaUnavailableException {
        this(timings -> opener.open());
    }

    CudaSchnorrVerifier(DeviceFactory factory) throws CudaUnavailableException {
        CompletableFuture<DevicePipeline.Opened> started = new CompletableFuture<>();
        owner = new Thread(new DevicePipeline(queue, () -> factory.open(timings), started, deviceFailures, timings,
                this::markClosed), "cuda-verifier");
        owner.setDaemon(true);
        owner.start();
        try {
            DevicePipeline.Opened opened = started.join();
            description = opened.description();
            keyCache = opened.keyCache();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CudaUnavailableException unavailable) {
                throw unavailable;
            }
            throw new CudaUnavailableException("CUDA initialisation failed: " + cause, cause);
        }
    }

    @Override
    public void verify(SignatureBatch batch) {
        if (batch.size() == 0) {
            return;
        }
        PendingBatch pending = new PendingBatch(batch);
        synchronized (lifecycle) {
            if (closed) {
                batch.clearVerdicts(); // every verdict NOT_VERIFIED: callers fall back
                return;
            }
            queue.add(pending);
        }
        try {
            pending.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // never completed exceptionally; nothing was decided
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** The kernel's key cache as opened, e.g. "65536 entries of 656 bytes (41 MiB)", or why there is none. */
    public String keyCache() {
        return keyCache;
    }

    /** Device errors since start (each failed its batches as not verified and re-initialised the device). */
    public long deviceFailures() {
        return deviceFailures.get();
    }

    /** Where the pipeline's time went since start (see {@link CudaOptions#stageTimings()}). */
    public StageTimings.Snapshot stageTimings() {
        return timings.snapshot();
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
