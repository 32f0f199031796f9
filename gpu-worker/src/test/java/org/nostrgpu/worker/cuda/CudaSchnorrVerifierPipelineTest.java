package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;
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
        return checks.stream().map(c -> Verdict.ofCode(FakeBatchDevice.expectedCode(c.message()))).toList();
    }

    /** Fake devices whose first launch cannot finish until {@code gate} opens. */
    private BatchDevice.Opener gated(int slots, CountDownLatch gate) {
        return () -> {
            FakeBatchDevice device = new FakeBatchDevice(slots, 64);
            device.firstWaitGate = gate;
            opened.add(device);
            return device;
        };
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(2);
        }
    }

    private static List<Verdict> notVerified(int count) {
        return Collections.nCopies(count, Verdict.NOT_VERIFIED);
    }

    @Test
    void aBatchLargerThanOneLaunchIsCutAndReassembledInOrder() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(3, 7))) {
            List<SignatureCheck> checks = checks(100);
            assertEquals(expected(checks), verifier.verifyChecks(checks));
            FakeBatchDevice device = opened.get(0);
            assertEquals(15, device.launches.get(), "100 checks in launches of at most 7");
            assertEquals(3, device.maxInFlight.get(), "a large batch keeps every slot busy");
        }
    }

    @Test
    void aLargeBatchIsSpreadOverEverySlotSoEvenOneCallerOverlapsCopiesAndKernels() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(3, 1 << 16))) {
            List<SignatureCheck> small = checks(DevicePipeline.MIN_SPLIT_LAUNCH);
            assertEquals(expected(small), verifier.verifyChecks(small));
            assertEquals(1, opened.get(0).launches.get(), "a batch of one minimal launch is not cut");

            List<SignatureCheck> large = checks(3 * DevicePipeline.MIN_SPLIT_LAUNCH + 5);
            assertEquals(expected(large), verifier.verifyChecks(large));
            assertEquals(1 + 3, opened.get(0).launches.get(), "three launches, one per slot");
            assertEquals(3, opened.get(0).maxInFlight.get());
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
                        if (!expected(batch).equals(verifier.verifyChecks(batch))) {
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
                calls.add(callers.submit(() -> verifier.verifyChecks(batch)));
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
        BatchDevice.Opener gated = gated(3, gate);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(gated)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                List<SignatureCheck> batch = checks(10);
                results.add(callers.submit(() -> expected(batch).equals(verifier.verifyChecks(batch))));
            }
            // the first launch cannot finish: every slot fills, the fourth batch is taken and waits for a slot
            FakeBatchDevice device = opened.get(0);
            awaitUntil(() -> device.launches.get() == 3 && verifier.queuedBatches() == 0 && device.waits.get() == 1);
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
            assertEquals(notVerified(50), verifier.verifyChecks(doomed));
            assertTrue(opened.get(0).closed, "the failed device is closed");
            assertEquals(1, verifier.deviceFailures());

            List<SignatureCheck> next = checks(25);
            assertEquals(expected(next), verifier.verifyChecks(next));
            assertEquals(2, opened.size(), "re-initialised once");
        }
    }

    @Test
    void aWaitErrorFailsEveryBatchInFlightAndNeverReportsValid() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(3, 4))) {
            opened.get(0).failWaitNumber = 2;
            List<SignatureCheck> doomed = checks(40);
            List<Verdict> verdicts = verifier.verifyChecks(doomed);
            assertEquals(notVerified(40), verdicts, "even the launch that finished before the error");
            List<SignatureCheck> next = checks(9);
            assertEquals(expected(next), verifier.verifyChecks(next));
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
            assertEquals(notVerified(5), verifier.verifyChecks(checks(5)));
            assertEquals(notVerified(6), verifier.verifyChecks(checks(6)), "reopen #2 fails");
            assertEquals(notVerified(7), verifier.verifyChecks(checks(7)), "reopen #3 fails");
            List<SignatureCheck> later = checks(8);
            assertEquals(expected(later), verifier.verifyChecks(later), "reopen #4 works");
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
            List<Verdict> verdicts = verifier.verifyChecks(checks);
            assertEquals(Verdict.NOT_VERIFIED, verdicts.get(5));
            assertEquals(expected(checks), verdicts);
            assertEquals(0, verifier.deviceFailures(), "a kernel gap is not a device error");
        }
    }

    @Test
    void afterCloseBatchesAreAnsweredNotVerifiedAtOnce() throws Exception {
        CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 8));
        List<SignatureCheck> before = checks(20);
        assertEquals(expected(before), verifier.verifyChecks(before));
        verifier.close();
        assertTrue(opened.get(0).closed);
        assertEquals(notVerified(3), verifier.verifyChecks(checks(3)));
        verifier.close();
    }

    @Test
    void runsOfSeveralRequestsAreCopiedAsBlocksAndTheirVerdictsLandInTheirOwnReplies() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(3, 16))) {
            List<SignatureCheck> first = checks(23);
            List<SignatureCheck> second = checks(30);
            SignatureRecords a = SignatureRecords.of(first);
            SignatureRecords b = SignatureRecords.of(second);
            byte[] replyA = new byte[8 + 23];
            byte[] replyB = new byte[8 + 30];
            // a's tail, then b's head: 13 + 20 records over launches of 16, each run landing at its own offset
            SignatureBatch batch = SignatureBatch.of(List.of(new SignatureBatch.Run(a.slice(10, 13), replyA, 8 + 10),
                    new SignatureBatch.Run(b.slice(0, 20), replyB, 8)));
            verifier.verify(batch);
            List<Verdict> expected = new ArrayList<>(expected(first.subList(10, 23)));
            expected.addAll(expected(second.subList(0, 20)));
            assertEquals(expected, batch.verdicts());
            for (int i = 0; i < 8 + 10; i++) {
                assertEquals(0, replyA[i], "nothing written before the run");
            }
            for (int i = 8 + 20; i < replyB.length; i++) {
                assertEquals(0, replyB[i], "nothing written after the run");
            }
            assertEquals(3, opened.get(0).launches.get(), "33 records in launches of at most 16");
            StageTimings.Snapshot timings = verifier.stageTimings();
            assertEquals(3, timings.launches());
            assertEquals(33, timings.records());
        }
    }

    @Test
    void aKernelCodeThatIsNoVerdictIsAnsweredNotVerified() throws Exception {
        FakeBatchDevice.Kernel stray = (launched, index, verdicts) -> verdicts.put(index, (byte) (index == 1 ? 7 : 1));
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(() -> new FakeBatchDevice(2, 8, 0, stray))) {
            assertEquals(List.of(Verdict.VALID, Verdict.NOT_VERIFIED, Verdict.VALID),
                    verifier.verifyChecks(checks(3)));
        }
    }

    @Test
    void aBatchArrivingWhileALaunchRunsIsLaunchedWithoutWaitingForIt() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        BatchDevice.Opener gated = gated(2, gate);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(gated)) {
            List<SignatureCheck> early = checks(10);
            Future<List<Verdict>> first = callers.submit(() -> verifier.verifyChecks(early));
            FakeBatchDevice device = opened.get(0);
            awaitUntil(() -> device.launches.get() == 1);
            // the first launch cannot finish: the owner thread is waiting for it, yet takes the next batch at once
            List<SignatureCheck> late = checks(5);
            Future<List<Verdict>> second = callers.submit(() -> verifier.verifyChecks(late));
            awaitUntil(() -> device.launches.get() == 2);
            assertEquals(0, device.waits.get(), "launched while the first was still running");
            gate.countDown();
            assertEquals(expected(early), first.get(10, TimeUnit.SECONDS));
            assertEquals(expected(late), second.get(10, TimeUnit.SECONDS));
            assertEquals(2, device.maxInFlight.get());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anEmptyBatchNeedsNoDevice() throws Exception {
        try (CudaSchnorrVerifier verifier = new CudaSchnorrVerifier(fakes(2, 8))) {
            assertEquals(List.of(), verifier.verifyChecks(List.of()));
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
