package org.nostrgpu.worker.cuda;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

/**
 * Loads JCuda's driver binding and initialises the CUDA driver once per process. JCuda runs with
 * exceptions enabled everywhere in this package: every failing driver call throws {@link CudaException}.
 *
 * <p>Without a driver the binding's native library cannot load (it links against libcuda.so.1): JCuda
 * throws {@link UnsatisfiedLinkError} on the first use and {@link NoClassDefFoundError} on every later one.
 * Both become a {@link CudaUnavailableException} whose message says why.
 */
final class CudaDriver {
    private static boolean initialised;
    private static String failure;

    /** Idempotent; remembers a failure, since the driver cannot appear later in the same process. */
    static synchronized void initialise() throws CudaUnavailableException {
        if (initialised) {
            return;
        }
        if (failure != null) {
            throw new CudaUnavailableException(failure);
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            initialised = true;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            failure = "no CUDA driver: " + linkFailureSummary(e);
            throw new CudaUnavailableException(failure, e);
        } catch (CudaException e) {
            failure = isNoDevice(e) ? "no device (cuInit: " + e.getMessage() + ")"
                    : "no CUDA driver: cuInit failed with " + e.getMessage();
            throw new CudaUnavailableException(failure, e);
        }
    }

    /** The GPU at {@code ordinal}; {@link #initialise()} first. */
    static CudaDeviceInfo device(int ordinal) throws CudaUnavailableException {
        initialise();
        try {
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                throw new CudaUnavailableException("no device");
            }
            if (ordinal >= count[0]) {
                throw new CudaUnavailableException("no device with ordinal " + ordinal + " (" + count[0] + " present)");
            }
            CUdevice device = handle(ordinal);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            int[] driver = new int[1];
            JCudaDriver.cuDriverGetVersion(driver);
            long[] memory = new long[1];
            JCudaDriver.cuDeviceTotalMem(memory, device);
            return new CudaDeviceInfo(ordinal, cString(name),
                    attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attribute(device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                    driver[0], memory[0], attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
        } catch (CudaException e) {
            throw new CudaUnavailableException(isNoDevice(e) ? "no device (" + e.getMessage() + ")"
                    : "device query failed: " + e.getMessage(), e);
        }
    }

    static CUdevice handle(int ordinal) {
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        return device;
    }

    /**
     * JCuda's message lists every place it tried; the useful line is the dynamic linker's complaint
     * about libcuda (e.g. "libcuda.so.1: cannot open shared object file: No such file or directory").
     */
    static String linkFailureSummary(Throwable e) {
        String message = String.valueOf(e.getMessage());
        for (String line : message.split("\\R")) {
            int at = line.indexOf("libcuda");
            if (at >= 0) {
                return line.substring(at).strip();
            }
        }
        String firstLine = message.lines().findFirst().orElse("").strip();
        return e.getClass().getSimpleName() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }

    private static boolean isNoDevice(CudaException e) {
        return String.valueOf(e.getMessage()).contains("CUDA_ERROR_NO_DEVICE");
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).strip();
    }

    private CudaDriver() {
    }
}
