package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline around the device, on a fake device: ordering, threading, overlap, failures, shutdown. */
class CudaSchnorrVerifierPipelineTest {
    private final Random random = new Random(42);
    private final List<FakeBatchDevice> opened = Collections.synchronizedList(new ArrayList<>());

    private BatchDevice.Opener fakes(int slots, int maxRecordsPerLaunch) {
        return () -> {
            FakeBatchDevice device = new FakeBatchDevice(slots, maxRecordsPerLaunch);
            opened.add(device);
            return device;
        };
    }

    private List<SignatureCheck> checks(int count) {
        List<SignatureCheck> checks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] message = new byte[32];
            random.nextBytes(message);
            if (message[1] == FakeBatchDevice.LEAVE_UNWRITTEN) {
                message[1] = 0;
            }
            byte[] pubkey = new byte[32];
            byte[] signature = new byte[64];
            random.nextBytes(pubkey);
            random.nextBytes(signature);
            checks.add(new SignatureCheck(message, pubkey, signature));
        }
        return checks;
    }

    private static List<Verdict> expected(List<SignatureCheck> checks) {
        return checks.stream().map(c -> VerdictCodes.decode(FakeBatchDevice.expectedCode(c.message()))).toList();
    }

    @Test
    void aBatchLargerThanOneLaunchIsCutAndReassembledInOrder() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(3, 7))) {
            List<SignatureCheck> checks = checks(100);
            assertEquals(expected(checks), verifier.verify(checks));
            FakeBatchDevice device = opened.get(0);
            assertEquals(15, device.launches.get(), "100 checks in launches of at most 7");
            assertEquals(3, device.maxInFlight.get(), "a large batch keeps every slot busy");
        }
    }

    @Test
    void concurrentCallersEachGetTheirOwnVerdicts() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 16))) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                List<List<SignatureCheck>> batches = new ArrayList<>();
                for (int b = 0; b < 20; b++) {
                    batches.add(checks(1 + random.nextInt(50)));
                }
                results.add(callers.submit(() -> {
                    for (List<SignatureCheck> batch : batches) {
                        if (!expected(batch).equals(verifier.verify(batch))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void everyDeviceCallHappensOnTheOneOwnerThread() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 8))) {
            List<Future<?>> calls = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                List<SignatureCheck> batch = checks(30);
                calls.add(callers.submit(() -> verifier.verify(batch)));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        FakeBatchDevice device = opened.get(0);
        assertEquals(1, device.callers.size(), "device touched by " + device.callers);
        Thread owner = device.callers.iterator().next();
        assertEquals("cuda-verifier", owner.getName());
        assertTrue(device.closed, "closing the verifier releases the device");
    }

    @Test
    void queuedBatchesAreLaunchedBeforeWaitingSoCopiesOverlapKernels() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        BatchDevice.Opener gated = () -> {
            FakeBatchDevice device = new FakeBatchDevice(3, 64);
            device.firstWaitGate = gate;
            opened.add(device);
            return device;
        };
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(gated)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                List<SignatureCheck> batch = checks(10);
                results.add(callers.submit(() -> expected(batch).equals(verifier.verify(batch))));
            }
            // the first wait is held: let every batch reach the device or queue behind it, then release
            FakeBatchDevice device = opened.get(0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (verifier.queuedBatches() + device.launches.get() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(4, verifier.queuedBatches() + device.launches.get());
            gate.countDown();
            for (Future<Boolean> result : results) {
                assertTrue(result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(3, opened.get(0).maxInFlight.get(), "three queued batches in flight together");
    }

    @Test
    void aLaunchErrorFailsThatBatchAsNotVerifiedAndTheNextBatchRunsOnAFreshDevice() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 10))) {
            opened.get(0).failLaunchNumber = 3;
            List<SignatureCheck> doomed = checks(50);
            assertEquals(PendingBatch.notVerified(50), verifier.verify(doomed));
            assertTrue(opened.get(0).closed, "the failed device is closed");
            assertEquals(1, verifier.deviceFailures());

            List<SignatureCheck> next = checks(25);
            assertEquals(expected(next), verifier.verify(next));
            assertEquals(2, opened.size(), "re-initialised once");
        }
    }

    @Test
    void aWaitErrorFailsEveryBatchInFlightAndNeverReportsValid() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(3, 4))) {
            opened.get(0).failWaitNumber = 2;
            List<SignatureCheck> doomed = checks(40);
            List<Verdict> verdicts = verifier.verify(doomed);
            assertEquals(PendingBatch.notVerified(40), verdicts, "even the launch that finished before the error");
            List<SignatureCheck> next = checks(9);
            assertEquals(expected(next), verifier.verify(next));
        }
    }

    @Test
    void whileTheDeviceCannotBeReopenedBatchesAreAnsweredNotVerifiedUntilItCan() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        BatchDevice.Opener flaky = () -> {
            int number = opens.incrementAndGet();
            if (number == 2 || number == 3) {
                throw new CudaUnavailableException("simulated: device lost");
            }
            FakeBatchDevice device = new FakeBatchDevice(2, 8);
            opened.add(device);
            return device;
        };
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(flaky)) {
            opened.get(0).failLaunchNumber = 1;
            assertEquals(PendingBatch.notVerified(5), verifier.verify(checks(5)));
            assertEquals(PendingBatch.notVerified(6), verifier.verify(checks(6)), "reopen #2 fails");
            assertEquals(PendingBatch.notVerified(7), verifier.verify(checks(7)), "reopen #3 fails");
            List<SignatureCheck> later = checks(8);
            assertEquals(expected(later), verifier.verify(later), "reopen #4 works");
        }
    }

    @Test
    void aVerdictTheKernelDidNotWriteIsNotVerified() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 8))) {
            List<SignatureCheck> checks = new ArrayList<>(checks(12));
            byte[] message = checks.get(5).message().clone();
            message[0] = 0; // would be valid
            message[1] = FakeBatchDevice.LEAVE_UNWRITTEN;
            checks.set(5, new SignatureCheck(message, checks.get(5).pubkey(), checks.get(5).signature()));
            List<Verdict> verdicts = verifier.verify(checks);
            assertEquals(Verdict.NOT_VERIFIED, verdicts.get(5));
            assertEquals(expected(checks), verdicts);
            assertEquals(0, verifier.deviceFailures(), "a kernel gap is not a device error");
        }
    }

    @Test
    void afterCloseBatchesAreAnsweredNotVerifiedAtOnce() throws Exception {
        CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 8));
        List<SignatureCheck> before = checks(20);
        assertEquals(expected(before), verifier.verify(before));
        verifier.close();
        assertTrue(opened.get(0).closed);
        assertEquals(PendingBatch.notVerified(3), verifier.verify(checks(3)));
        verifier.close();
    }

    @Test
    void anEmptyBatchNeedsNoDevice() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 8))) {
            assertEquals(List.of(), verifier.verify(List.of()));
            assertEquals(0, opened.get(0).launches.get());
        }
    }

    @Test
    void aDeviceThatCannotOpenFailsConstructionWithItsReason() {
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> new CudaSchnorrVerifier(() -> {
                    throw new CudaUnavailableException("no device");
                }));
        assertEquals("no device", e.getMessage());
    }

    @Test
    void describeNamesTheDevice() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 8))) {
            assertEquals("fake(2 slots)", verifier.describe());
        }
    }
}
