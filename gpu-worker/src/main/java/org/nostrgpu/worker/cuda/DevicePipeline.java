package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureRecords;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body of the thread that owns the device: every device call happens here. Takes batches from the
 * queue, cuts them into launches (a large batch over every slot, see {@link #MIN_SPLIT_LAUNCH}), keeps up to
 * {@link BatchDevice#slots()} launches in flight and copies the next launch's records into its pinned buffer while
 * the previous ones upload, compute and download.
 *
 * <p>Records go from where the caller holds them (a verify request's bytes, for the worker) to the pinned
 * buffer as blocks, one per run of the batch; verdict codes come back the same way, straight to each run's
 * destination. While launches run and a slot is free, the thread keeps taking new batches (it looks at the queue
 * every {@link #POLL_NANOS} until the oldest launch is done), so a batch that arrives meanwhile is copied and
 * launched at once rather than after the running ones finish. It blocks on the oldest launch only when every
 * slot is busy, or when stopping.
 *
 * <p>A device error answers every batch with a launch in flight, and the batch being cut, as not
 * verified, closes the device, and opens a new one for the next batch. A batch that arrives while no
 * device can be opened is answered as not verified at once.
 */
final class DevicePipeline implements Runnable {
    private static final System.Logger LOG = System.getLogger(DevicePipeline.class.getName());
    private static final long REOPEN_LOG_INTERVAL_NANOS = 60_000_000_000L;
    /** How often a thread waiting for the oldest launch looks for new batches. */
    private static final long POLL_NANOS = 50_000;
    /**
     * Smallest launch a large batch is cut into. A batch of at least this many records per slot is spread over every
     * slot, so even a single caller's batch overlaps the copy and upload of one part with the kernel of another;
     * smaller parts would cost more in per-launch overhead and an emptier GPU than the overlap gains.
     */
    static final int MIN_SPLIT_LAUNCH = 16_384;

    /** Put on the queue by close(): nothing is queued after it. */
    static final PendingBatch SHUTDOWN = new PendingBatch(SignatureBatch.of(List.of()));

    private record Launch(PendingBatch batch, int slot, int from, int count) {
    }

    /** What the opened device says about itself, read on the owner thread for the verifier's callers. */
    record Opened(String description, String keyCache) {
    }

    private final BlockingQueue<PendingBatch> queue;
    private final BatchDevice.Opener opener;
    private final CompletableFuture<Opened> started;
    private final Runnable onExit;
    private final AtomicLong deviceFailures;
    private final StageTimings timings;
    private final ArrayDeque<Launch> inFlight = new ArrayDeque<>();
    private BatchDevice device;
    private PendingBatch cutting;
    private long launchCounter;
    private boolean stopping;
    private long lastReopenFailureLog = System.nanoTime() - REOPEN_LOG_INTERVAL_NANOS;

    DevicePipeline(BlockingQueue<PendingBatch> queue, BatchDevice.Opener opener, CompletableFuture<Opened> started,
                   AtomicLong deviceFailures, StageTimings timings, Runnable onExit) {
        this.queue = queue;
        this.opener = opener;
        this.started = started;
        this.deviceFailures = deviceFailures;
        this.timings = timings;
        this.onExit = onExit;
    }

    @Override
    public void run() {
        try {
            device = opener.open();
            started.complete(new Opened(device.describe(), device.keyCache()));
        } catch (Throwable e) {
            started.completeExceptionally(e);
            onExit.run();
            return;
        }
        try {
            loop();
        } catch (InterruptedException e) {
            LOG.log(Level.WARNING, "CUDA verifier thread interrupted; answering what is left as not verified");
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "CUDA verifier thread failed; answering what is left as not verified", e);
        } finally {
            closeDevice();
            failEverythingInFlight();
            // after onExit no batch can be queued any more, so the drain below sees them all
            onExit.run();
            for (PendingBatch left; (left = queue.poll()) != null; ) {
                left.failNotVerified();
            }
        }
    }

    private void loop() throws InterruptedException {
        while (true) {
            if (cutting == null && !stopping) {
                accept(inFlight.isEmpty() ? queue.take() : queue.poll());
            }
            if (cutting != null && inFlight.size() < slotCount()) {
                launchNext();
            } else if (!inFlight.isEmpty()) {
                if (cutting == null && !stopping && !oldestIsDone()) {
                    // a slot is free: wait for new work or the oldest launch, whichever comes first
                    accept(queue.poll(POLL_NANOS, TimeUnit.NANOSECONDS));
                } else {
                    finishOldest();
                }
            } else if (stopping && cutting == null) {
                return;
            }
        }
    }

    private void accept(PendingBatch next) {
        if (next == SHUTDOWN) {
            stopping = true;
        } else if (next != null) {
            cutting = next;
        }
    }

    private boolean oldestIsDone() {
        try {
            return device.isDone(inFlight.peekFirst().slot());
        } catch (RuntimeException | Error e) {
            return true; // finishOldest meets the same error and handles it
        }
    }

    private int slotCount() {
        return device == null ? 1 : device.slots();
    }

    private void launchNext() {
        if (device == null && !reopen()) {
            cutting.failNotVerified();
            cutting = null;
            return;
        }
        PendingBatch batch = cutting;
        int from = batch.launched();
        int count = Math.min(launchSize(batch.size()), batch.size() - from);
        int slot = (int) (launchCounter % device.slots());
        try {
            long start = System.nanoTime();
            ByteBuffer staging = device.stage(slot, count);
            if (staging.capacity() < SignatureRecords.bytesFor(count)) {
                throw new IllegalStateException("staging buffer of " + staging.capacity() + " bytes for " + count
                        + " records");
            }
            batch.batch.copyRecords(from, count, staging);
            long staged = System.nanoTime();
            device.launch(slot, count);
            timings.launched(count, staged - start);
        } catch (RuntimeException | Error e) {
            deviceFailed("launch", e);
            return;
        }
        launchCounter++;
        batch.markLaunched(count);
        inFlight.addLast(new Launch(batch, slot, from, count));
        if (batch.fullyLaunched()) {
            cutting = null;
        }
    }

    /** Records per launch for a batch of {@code size}: spread over the slots, within the limits. */
    private int launchSize(int size) {
        int perSlot = (int) (((long) size + device.slots() - 1) / device.slots());
        return Math.min(device.maxRecordsPerLaunch(), Math.max(MIN_SPLIT_LAUNCH, perSlot));
    }

    private void finishOldest() {
        Launch oldest = inFlight.peekFirst();
        int undecided;
        try {
            ByteBuffer codes = device.awaitVerdicts(oldest.slot());
            long start = System.nanoTime();
            undecided = oldest.batch().batch.putVerdicts(oldest.from(), oldest.count(), codes);
            timings.verdictsCopied(System.nanoTime() - start);
        } catch (RuntimeException | Error e) {
            deviceFailed("wait for verdicts", e);
            return;
        }
        inFlight.removeFirst();
        if (undecided > 0) {
            LOG.log(Level.WARNING, "the kernel left {0} of {1} verdicts undecided; they are answered as not verified",
                    undecided, oldest.count());
        }
        oldest.batch().launchFinished();
    }

    private boolean reopen() {
        try {
            device = opener.open();
            launchCounter = 0;
            LOG.log(Level.INFO, "CUDA verifier re-initialised: {0}, key cache {1}", device.describe(),
                    device.keyCache());
            return true;
        } catch (Throwable e) {
            long now = System.nanoTime();
            if (now - lastReopenFailureLog >= REOPEN_LOG_INTERVAL_NANOS) {
                lastReopenFailureLog = now;
                LOG.log(Level.ERROR, "CUDA verifier cannot re-initialise, batches are answered as not verified: "
                        + e.getMessage(), e);
            }
            return false;
        }
    }

    private void deviceFailed(String during, Throwable e) {
        deviceFailures.incrementAndGet();
        LOG.log(Level.ERROR, "CUDA error during " + during + "; failing the affected batches as not verified and"
                + " re-initialising the device: " + e.getMessage(), e);
        closeDevice();
        failEverythingInFlight();
    }

    private void failEverythingInFlight() {
        Set<PendingBatch> affected = new LinkedHashSet<>();
        inFlight.forEach(launch -> affected.add(launch.batch()));
        if (cutting != null) {
            affected.add(cutting);
        }
        inFlight.clear();
        cutting = null;
        affected.forEach(PendingBatch::failNotVerified);
    }

    private void closeDevice() {
        if (device == null) {
            return;
        }
        try {
            device.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the CUDA device failed: " + e.getMessage());
        }
        device = null;
    }
}
