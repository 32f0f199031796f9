package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.Verdict;

/** Whether this machine can run the CUDA tests: a driver, a device and the bundled kernel. */
public final class CudaTestSupport {

    public static boolean driverLoads() {
        try {
            CudaDriver.initialise();
            return true;
        } catch (CudaUnavailableException e) {
            return !e.getMessage().startsWith("no CUDA driver");
        }
    }

    public static boolean cudaUsable() {
        try {
            CudaDriver.device(0);
            KernelSource.load(null);
            return true;
        } catch (CudaUnavailableException e) {
            return false;
        }
    }

    /** A CUDA verifier on a fake device whose kernel really verifies but writes the given verdict codes. */
    public static CudaSchnorrVerifier verifierWritingCodes(byte validCode, byte invalidCode)
            throws CudaUnavailableException {
        FakeBatchDevice.Kernel kernel = FakeBatchDevice.Kernel.libsecp256k1(validCode, invalidCode);
        return new CudaSchnorrVerifier(() -> new FakeBatchDevice(2, 64, 0, kernel));
    }

    /**
     * A CUDA verifier on a fake device whose kernel really verifies (libsecp256k1, the bus's codes) and whose
     * launches each take at least {@code launchNanos}, like a GPU's fixed cost per launch.
     */
    public static CudaSchnorrVerifier slowFakeVerifierThatVerifies(long launchNanos) throws CudaUnavailableException {
        FakeBatchDevice.Kernel kernel = FakeBatchDevice.Kernel.libsecp256k1(Verdict.VALID_CODE, Verdict.INVALID_CODE);
        return new CudaSchnorrVerifier(() -> new FakeBatchDevice(3, 1 << 16, launchNanos, kernel));
    }

    private CudaTestSupport() {
    }
}
