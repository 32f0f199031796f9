package org.nostrgpu.worker.cuda;

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

    private CudaTestSupport() {
    }
}
