package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CudaDriverTest {

    @Test
    void theLinkersComplaintAboutLibcudaIsTheReason() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("""
                Error while loading native library "JCudaDriver-12.6.0-linux-x86_64"
                Stack trace from the attempt to load the library as a resource:
                java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: \
                cannot open shared object file: No such file or directory
                \tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)""");
        assertEquals("libcuda.so.1: cannot open shared object file: No such file or directory",
                CudaDriver.linkFailureSummary(e));
    }

    @Test
    void otherwiseTheFirstLine() {
        assertEquals("NoClassDefFoundError: Could not initialize class jcuda.driver.JCudaDriver",
                CudaDriver.linkFailureSummary(new NoClassDefFoundError(
                        "Could not initialize class jcuda.driver.JCudaDriver\nmore")));
    }

    @Test
    void deviceInfoReadsLikeTheHealthOutputWants() {
        CudaDeviceInfo info = new CudaDeviceInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 13000, 80L << 30, 132);
        assertEquals("NVIDIA H100 80GB HBM3, sm_90, driver 13.0", info.summary());
        assertEquals("12.6", new CudaDeviceInfo(0, "x", 8, 6, 12060, 0, 1).driverVersionText());
    }

    @Test
    void withoutTheDriverTheReasonNamesTheMissingLibrary() {
        assumeFalse(CudaTestSupport.driverLoads(), "the CUDA driver is installed here");
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, CudaDriver::initialise);
        assertTrue(e.getMessage().startsWith("no CUDA driver: libcuda.so"), e.getMessage());
        CudaUnavailableException again = assertThrows(CudaUnavailableException.class, CudaDriver::initialise);
        assertEquals(e.getMessage(), again.getMessage(), "the second attempt gives the same reason, not a class error");
    }
}
