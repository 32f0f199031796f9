package org.nostrgpu.worker.cuda;

/**
 * What the driver says about one GPU.
 *
 * @param driverVersion as cuDriverGetVersion reports it, e.g. 13000 for 13.0
 */
public record CudaDeviceInfo(int ordinal, String name, int computeMajor, int computeMinor, int driverVersion,
                             long totalMemoryBytes, int multiprocessors) {

    /**
     * Asks the driver about GPU {@code ordinal}.
     *
     * @throws CudaUnavailableException with the reason: no driver, no such device
     */
    public static CudaDeviceInfo of(int ordinal) throws CudaUnavailableException {
        return CudaDriver.device(ordinal);
    }

    /** e.g. "sm_90" */
    public String architecture() {
        return "sm_" + computeMajor + computeMinor;
    }

    /** e.g. "13.0" */
    public String driverVersionText() {
        return (driverVersion / 1000) + "." + (driverVersion % 1000) / 10;
    }

    /** e.g. "NVIDIA H100 80GB HBM3, sm_90, driver 13.0" */
    public String summary() {
        return name + ", " + architecture() + ", driver " + driverVersionText();
    }
}
