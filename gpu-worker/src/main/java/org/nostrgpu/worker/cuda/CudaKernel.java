package org.nostrgpu.worker.cuda;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_BINARY_VERSION;
import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES;
import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK;
import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS;
import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_PTX_VERSION;
import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES;

/**
 * A CUDA context on one GPU with the verify kernel loaded into it. The context is current on the thread
 * that opened it; every other call must come from that same thread. {@link #close()} destroys the context
 * and with it every stream, buffer and module created in it.
 *
 * <p>Kernel signature: {@code bip340_verify_batch(const uint8_t* records, uint8_t* verdicts, uint32_t count)},
 * a grid-stride loop, so any grid size covers any count.
 */
public final class CudaKernel implements AutoCloseable {
    private final CudaDeviceInfo device;
    private final CUcontext context;
    private final CUfunction function;
    private final int threadsPerBlock;

    private CudaKernel(CudaDeviceInfo device, CUcontext context, CUfunction function, int threadsPerBlock) {
        this.device = device;
        this.context = context;
        this.function = function;
        this.threadsPerBlock = threadsPerBlock;
    }

    /**
     * A context on {@code options}' device with the kernel its options name (the PTX file, or the one in the jar),
     * current on the calling thread.
     */
    public static CudaKernel open(CudaOptions options) throws CudaUnavailableException {
        return open(options, KernelSource.load(options.ptxFile()));
    }

    static CudaKernel open(CudaOptions options, byte[] ptx) throws CudaUnavailableException {
        CudaDeviceInfo device = CudaDriver.device(options.deviceOrdinal());
        CUcontext context = new CUcontext();
        try {
            JCudaDriver.cuCtxCreate(context, 0, CudaDriver.handle(options.deviceOrdinal()));
        } catch (CudaException e) {
            throw new CudaUnavailableException("cannot create a CUDA context on " + device.name() + ": "
                    + e.getMessage(), e);
        }
        try {
            return new CudaKernel(device, context, loadFunction(ptx, device), options.threadsPerBlock());
        } catch (CudaUnavailableException | RuntimeException e) {
            destroyQuietly(context);
            throw e;
        }
    }

    private static CUfunction loadFunction(byte[] ptx, CudaDeviceInfo device) throws CudaUnavailableException {
        CUmodule module = new CUmodule();
        try {
            JCudaDriver.cuModuleLoadData(module, ptx);
        } catch (CudaException e) {
            throw new CudaUnavailableException("module failed to load on " + device.architecture() + ", driver "
                    + device.driverVersionText() + ": " + e.getMessage(), e);
        }
        CUfunction function = new CUfunction();
        try {
            JCudaDriver.cuModuleGetFunction(function, module, KernelSource.FUNCTION);
        } catch (CudaException e) {
            throw new CudaUnavailableException("module failed to load: no function " + KernelSource.FUNCTION
                    + " (" + e.getMessage() + ")", e);
        }
        return function;
    }

    public CudaDeviceInfo device() {
        return device;
    }

    public KernelAttributes attributes() {
        int[] active = new int[1];
        JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor(active, function, threadsPerBlock, 0);
        return new KernelAttributes(attribute(CU_FUNC_ATTRIBUTE_NUM_REGS), attribute(CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES),
                attribute(CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES), attribute(CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                attribute(CU_FUNC_ATTRIBUTE_PTX_VERSION), attribute(CU_FUNC_ATTRIBUTE_BINARY_VERSION), threadsPerBlock,
                active[0]);
    }

    private int attribute(int attribute) {
        int[] value = new int[1];
        JCudaDriver.cuFuncGetAttribute(value, attribute, function);
        return value[0];
    }

    public int threadsPerBlock() {
        return threadsPerBlock;
    }

    static int blocksFor(int count, int threadsPerBlock) {
        return Math.max(1, (count + threadsPerBlock - 1) / threadsPerBlock);
    }

    /** Queues the kernel over {@code count} records on {@code stream}; returns at once. */
    public void launch(CUdeviceptr records, CUdeviceptr verdicts, int count, CUstream stream) {
        launch(records, verdicts, count, stream, threadsPerBlock);
    }

    /** As {@link #launch(CUdeviceptr, CUdeviceptr, int, CUstream)} with another block size (benchmarks). */
    public void launch(CUdeviceptr records, CUdeviceptr verdicts, int count, CUstream stream, int blockSize) {
        Pointer parameters = Pointer.to(Pointer.to(records), Pointer.to(verdicts), Pointer.to(new int[]{count}));
        JCudaDriver.cuLaunchKernel(function, blocksFor(count, blockSize), 1, 1, blockSize, 1, 1,
                0, stream, parameters, null);
    }

    @Override
    public void close() {
        destroyQuietly(context);
    }

    /** After a device error the context may itself refuse to die; there is nothing more to do about it. */
    private static void destroyQuietly(CUcontext context) {
        try {
            JCudaDriver.cuCtxDestroy(context);
        } catch (CudaException ignored) {
            // the process keeps running on a fresh context; the old one is leaked at worst
        }
    }
}
