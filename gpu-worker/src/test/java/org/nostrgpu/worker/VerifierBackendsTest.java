package org.nostrgpu.worker;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.worker.cuda.CudaDeviceInfo;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaTestSupport;
import org.nostrgpu.worker.cuda.KnownAnswers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Backend selection on whatever machine runs the tests: with no GPU it must fall back cleanly and say why. */
class VerifierBackendsTest {

    @Test
    void cpuWhenConfigured() {
        BackendSelection selection = VerifierBackends.select(BackendChoice.CPU, 2, CudaOptions.defaults());
        try (var verifier = selection.verifier()) {
            assertInstanceOf(CpuSchnorrVerifier.class, verifier);
            assertEquals("cpu(2 threads): backend cpu configured", selection.summary());
            assertFalse(selection.usesCuda());
        }
    }

    @Test
    void autoFallsBackToTheCpuWithTheReasonWhenThereIsNoUsableGpu() {
        assumeFalse(CudaTestSupport.cudaUsable(), "a usable GPU is present");
        BackendSelection selection = VerifierBackends.select(BackendChoice.AUTO, 1, CudaOptions.defaults());
        try (var verifier = selection.verifier()) {
            assertInstanceOf(CpuSchnorrVerifier.class, verifier);
            assertFalse(selection.usesCuda());
            assertTrue(selection.reason().startsWith("no CUDA driver: ") || selection.reason().startsWith("no device")
                    || selection.reason().startsWith("kernel missing") || selection.reason().startsWith("module failed"),
                    selection.reason());
            assertEquals(java.util.Optional.empty(), KnownAnswers.failures(verifier), "the fallback works");
        }
    }

    @Test
    void aKernelWithOtherVerdictCodesFailsItsSelfTestAndAutoFallsBackToTheCpuSayingWhy() {
        CudaDeviceInfo fakeGpu = new CudaDeviceInfo(0, "fake GPU", 9, 0, 13000, 1L << 30, 1);
        BackendSelection selection = VerifierBackends.select(BackendChoice.AUTO, 1, () -> VerifierBackends.selfTested(
                CudaTestSupport.verifierWritingCodes((byte) 1, (byte) 0), fakeGpu));
        try (var verifier = selection.verifier()) {
            assertInstanceOf(CpuSchnorrVerifier.class, verifier);
            assertFalse(selection.usesCuda());
            assertTrue(selection.reason().startsWith("self-test failed: every valid signature came back VALID but"
                    + " every invalid one NOT_VERIFIED: the kernel writes 0 for invalid"), selection.reason());
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> VerifierBackends.select(
                BackendChoice.CUDA, 1, () -> VerifierBackends.selfTested(
                        CudaTestSupport.verifierWritingCodes((byte) 1, (byte) 0), fakeGpu)));
        assertTrue(refused.getMessage().startsWith("backend cuda configured but CUDA cannot be used: self-test failed"),
                refused.getMessage());

        BackendSelection good = VerifierBackends.select(BackendChoice.AUTO, 1, () -> VerifierBackends.selfTested(
                CudaTestSupport.verifierWritingCodes(Verdict.VALID_CODE, Verdict.INVALID_CODE), fakeGpu));
        try (var verifier = good.verifier()) {
            assertTrue(good.usesCuda());
            assertEquals("fake key cache", good.keyCache());
        }
    }

    @Test
    void cudaWhenConfiguredButUnusableFailsStartUpWithTheReason() {
        assumeFalse(CudaTestSupport.cudaUsable(), "a usable GPU is present");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VerifierBackends.select(BackendChoice.CUDA, 1, CudaOptions.defaults()));
        assertTrue(e.getMessage().startsWith("backend cuda configured but CUDA cannot be used: "), e.getMessage());
    }

    @Test
    void autoPicksTheGpuWhenItWorks() {
        assumeTrue(CudaTestSupport.cudaUsable(), "no usable GPU here");
        BackendSelection selection = VerifierBackends.select(BackendChoice.AUTO, 1, CudaOptions.defaults());
        try (var verifier = selection.verifier()) {
            assertInstanceOf(CudaSchnorrVerifier.class, verifier);
            assertTrue(selection.usesCuda());
            assertTrue(verifier.describe().startsWith("cuda(" + selection.cudaDevice().name() + ", sm_"),
                    verifier.describe());
        }
    }
}
