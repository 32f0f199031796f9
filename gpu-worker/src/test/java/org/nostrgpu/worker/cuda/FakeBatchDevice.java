package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device without a GPU for pipeline tests. Its "kernel" answers from the staged records themselves, in the
 * bus's verdict codes: valid when the first message byte is even, invalid when odd, and it leaves the verdict
 * unwritten (not verified) when the second message byte is {@link #LEAVE_UNWRITTEN}. A launch can be made to take
 * a while, like a real GPU's fixed cost per launch. It can fail a chosen launch or wait, hold the first
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
    private final long[] doneAt;
    /** How long each fake launch takes, like a GPU's fixed cost per launch (0: done at once). */
    private final long launchNanos;
    private final Kernel kernel;
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
        this(slots, maxRecordsPerLaunch, 0);
    }

    FakeBatchDevice(int slots, int maxRecordsPerLaunch, long launchNanos) {
        this(slots, maxRecordsPerLaunch, launchNanos, Kernel.PARITY);
    }

    FakeBatchDevice(int slots, int maxRecordsPerLaunch, long launchNanos, Kernel kernel) {
        this.kernel = kernel;
        this.launchNanos = launchNanos;
        this.doneAt = new long[slots];
        this.slots = slots;
        this.maxRecordsPerLaunch = maxRecordsPerLaunch;
        this.staged = new ByteBuffer[slots];
        this.verdicts = new ByteBuffer[slots];
        this.launchedCount = new int[slots];
        this.busy = new boolean[slots];
        for (int i = 0; i < slots; i++) {
            staged[i] = ByteBuffer.allocateDirect(SignatureRecords.RECORD_BYTES * maxRecordsPerLaunch);
            verdicts[i] = ByteBuffer.allocate(maxRecordsPerLaunch);
        }
    }

    /** What the fake "kernel" writes for record {@code index} of a launch into {@code verdicts}, if anything. */
    @FunctionalInterface
    interface Kernel {
        void decide(SignatureRecords launched, int index, ByteBuffer verdicts);

        /** By the message's first two bytes, see the class comment. */
        Kernel PARITY = (launched, index, verdicts) -> {
            byte[] message = new byte[32];
            launched.message(index, message);
            if (message[1] != LEAVE_UNWRITTEN) {
                verdicts.put(index, expectedCode(message));
            }
        };

        /**
         * Really verifies with libsecp256k1, writing the given codes for valid and invalid. It remembers every record
         * it verified, so records it has seen cost next to nothing: faster per record than a CPU lane, as a GPU is.
         */
        static Kernel libsecp256k1(byte validCode, byte invalidCode) {
            CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(1);
            Map<ByteBuffer, Byte> seen = new ConcurrentHashMap<>();
            return (launched, index, verdicts) -> {
                byte[] record = new byte[SignatureRecords.RECORD_BYTES];
                launched.copyTo(index, 1, ByteBuffer.wrap(record), 0);
                byte code = seen.computeIfAbsent(ByteBuffer.wrap(record), r -> cpu.verify(launched.slice(index, 1))[0]);
                verdicts.put(index, code == Verdict.VALID_CODE ? validCode : invalidCode);
            };
        }
    }

    /** The code the fake kernel writes for a record with this message; NOT_VERIFIED when it leaves it unwritten. */
    static byte expectedCode(byte[] message) {
        if (message[1] == LEAVE_UNWRITTEN) {
            return Verdict.NOT_VERIFIED_CODE;
        }
        return (message[0] & 1) == 0 ? Verdict.VALID_CODE : Verdict.INVALID_CODE;
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
        SignatureRecords launched = SignatureRecords.view(
                staged[slot].duplicate().clear().limit(records * SignatureRecords.RECORD_BYTES));
        for (int i = 0; i < records; i++) {
            // like the host code, the verdicts start cleared to NOT_VERIFIED; the kernel writes what it decides
            verdicts[slot].put(i, Verdict.NOT_VERIFIED_CODE);
            kernel.decide(launched, i, verdicts[slot]);
        }
        doneAt[slot] = System.nanoTime() + launchNanos;
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    @Override
    public boolean isDone(int slot) {
        touch();
        CountDownLatch gate = firstWaitGate;
        if (waits.get() == 0 && gate != null && gate.getCount() > 0) {
            return false;
        }
        return System.nanoTime() >= doneAt[slot];
    }

    @Override
    public ByteBuffer awaitVerdicts(int slot) {
        touch();
        int number = waits.incrementAndGet();
        long left = doneAt[slot] - System.nanoTime();
        if (left > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
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
    public String keyCache() {
        return "fake key cache";
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
