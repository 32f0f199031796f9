package org.nostrgpu.worker.cuda;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device without a GPU for pipeline tests. Its "kernel" answers from the packed records themselves:
 * valid when the first message byte is even, invalid when odd, and it leaves the verdict unwritten when
 * the second message byte is {@link #LEAVE_UNWRITTEN}. It can fail a chosen launch or wait, hold the first
 * wait until released, and records which threads called it and how many launches were in flight at once.
 */
final class FakeBatchDevice implements BatchDevice {
    static final byte LEAVE_UNWRITTEN = 0x55;

    private final int slots;
    private final int maxRecordsPerLaunch;
    private final ByteBuffer[] staged;
    private final ByteBuffer[] verdicts;
    private final int[] launchedCount;
    private final boolean[] busy;
    final Set<Thread> callers = ConcurrentHashMap.newKeySet();
    final AtomicInteger launches = new AtomicInteger();
    final AtomicInteger waits = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile int failLaunchNumber = -1;
    volatile int failWaitNumber = -1;
    volatile CountDownLatch firstWaitGate;
    volatile boolean closed;

    FakeBatchDevice(int slots, int maxRecordsPerLaunch) {
        this.slots = slots;
        this.maxRecordsPerLaunch = maxRecordsPerLaunch;
        this.staged = new ByteBuffer[slots];
        this.verdicts = new ByteBuffer[slots];
        this.launchedCount = new int[slots];
        this.busy = new boolean[slots];
        for (int i = 0; i < slots; i++) {
            staged[i] = ByteBuffer.allocate(SignatureRecords.RECORD_BYTES * maxRecordsPerLaunch);
            verdicts[i] = ByteBuffer.allocate(maxRecordsPerLaunch);
        }
    }

    static byte expectedCode(byte[] message) {
        if (message[1] == LEAVE_UNWRITTEN) {
            return VerdictCodes.UNWRITTEN;
        }
        return (message[0] & 1) == 0 ? VerdictCodes.VALID : VerdictCodes.INVALID;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public int maxRecordsPerLaunch() {
        return maxRecordsPerLaunch;
    }

    @Override
    public ByteBuffer stage(int slot, int records) {
        touch();
        if (busy[slot]) {
            throw new AssertionError("slot " + slot + " staged while its launch is in flight");
        }
        if (records > maxRecordsPerLaunch) {
            throw new AssertionError(records + " records exceed " + maxRecordsPerLaunch);
        }
        return staged[slot];
    }

    @Override
    public void launch(int slot, int records) {
        touch();
        int number = launches.incrementAndGet();
        if (number == failLaunchNumber) {
            throw new IllegalStateException("simulated CUDA_ERROR_LAUNCH_FAILED");
        }
        busy[slot] = true;
        launchedCount[slot] = records;
        for (int i = 0; i < records; i++) {
            byte[] message = new byte[32];
            staged[slot].get(i * SignatureRecords.RECORD_BYTES, message);
            verdicts[slot].put(i, expectedCode(message));
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    @Override
    public ByteBuffer awaitVerdicts(int slot) {
        touch();
        int number = waits.incrementAndGet();
        CountDownLatch gate = firstWaitGate;
        if (number == 1 && gate != null) {
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        if (!busy[slot]) {
            throw new AssertionError("waited on idle slot " + slot);
        }
        busy[slot] = false;
        inFlight.decrementAndGet();
        if (number == failWaitNumber) {
            throw new IllegalStateException("simulated CUDA_ERROR_ILLEGAL_ADDRESS");
        }
        return verdicts[slot].duplicate().clear().limit(launchedCount[slot]);
    }

    @Override
    public String describe() {
        return "fake(" + slots + " slots)";
    }

    @Override
    public void close() {
        touch();
        closed = true;
    }

    private void touch() {
        callers.add(Thread.currentThread());
    }
}
