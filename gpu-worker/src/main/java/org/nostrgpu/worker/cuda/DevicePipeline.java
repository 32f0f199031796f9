package org.nostrgpu.worker.cuda;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body of the thread that owns the device: every device call happens here. Takes batches from the
 * queue, cuts them into launches, keeps up to {@link BatchDevice#slots()} launches in flight and packs
 * the next launch while the previous ones copy and compute; waits for the oldest launch only when no
 * slot is free or no work is queued.
 *
 * <p>A device error answers every batch with a launch in flight, and the batch being cut, as not
 * verified, closes the device, and opens a new one for the next batch. A batch that arrives while no
 * device can be opened is answered as not verified at once.
 */
final class DevicePipeline implements Runnable {
    private static final System.Logger LOG = System.getLogger(DevicePipeline.class.getName());
    private static final long REOPEN_LOG_INTERVAL_NANOS = 60_000_000_000L;

    /** Put on the queue by close(): nothing is queued after it. */
    static final PendingBatch SHUTDOWN = new PendingBatch(java.util.List.of());

    private record Launch(PendingBatch batch, int slot, int from, int count) {
    }

    private final BlockingQueue<PendingBatch> queue;
    private final BatchDevice.Opener opener;
    private final CompletableFuture<String> started;
    private final Runnable onExit;
    private final AtomicLong deviceFailures;
    private final ArrayDeque<Launch> inFlight = new ArrayDeque<>();
    private BatchDevice device;
    private PendingBatch cutting;
    private long launchCounter;
    private boolean stopping;
    private long lastReopenFailureLog = System.nanoTime() - REOPEN_LOG_INTERVAL_NANOS;

    DevicePipeline(BlockingQueue<PendingBatch> queue, BatchDevice.Opener opener, CompletableFuture<String> started,
                   AtomicLong deviceFailures, Runnable onExit) {
        this.queue = queue;
        this.opener = opener;
        this.started = started;
        this.deviceFailures = deviceFailures;
        this.onExit = onExit;
    }

    @Override
    public void run() {
        try {
            device = opener.open();
            started.complete(device.describe());
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
                PendingBatch next = inFlight.isEmpty() ? queue.take() : queue.poll();
                if (next == SHUTDOWN) {
                    stopping = true;
                } else {
                    cutting = next;
                }
            }
            if (cutting != null && inFlight.size() < slotCount()) {
                launchNext();
            } else if (!inFlight.isEmpty()) {
                finishOldest();
            } else if (stopping && cutting == null) {
                return;
            }
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
        int count = Math.min(device.maxRecordsPerLaunch(), batch.size() - from);
        int slot = (int) (launchCounter % device.slots());
        try {
            ByteBuffer staging = device.stage(slot, count);
            SignatureRecords.pack(batch.checks, from, from + count, staging);
            device.launch(slot, count);
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

    private void finishOldest() {
        Launch oldest = inFlight.peekFirst();
        int undecided;
        try {
            ByteBuffer codes = device.awaitVerdicts(oldest.slot());
            undecided = VerdictCodes.decode(codes, oldest.count(), oldest.batch().verdicts(), oldest.from());
        } catch (RuntimeException | Error e) {
            deviceFailed("wait for verdicts", e);
            return;
        }
        inFlight.removeFirst();
        if (undecided > 0) {
            LOG.log(Level.WARNING, "the kernel left {0} of {1} verdicts unwritten; they are answered as not verified",
                    undecided, oldest.count());
        }
        oldest.batch().launchFinished();
    }

    private boolean reopen() {
        try {
            device = opener.open();
            launchCounter = 0;
            LOG.log(Level.INFO, "CUDA verifier re-initialised: {0}", device.describe());
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
