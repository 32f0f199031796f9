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
 * <p>Kernel signature: {@code bip340_verify_batch(const uint8_t* records, uint8_t* verdicts, uint32_t count,
 * uint8_t* key_cache, uint32_t key_cache_entries)}, a grid-stride loop, so any grid size covers any count. Records
 * are {@link org.nostrgpu.common.verify.SignatureRecords}; verdicts are the event bus's codes
 * ({@link org.nostrgpu.common.verify.Verdict#code()}: 1 valid, 2 invalid), written over a buffer the host cleared to
 * 0 (not verified). {@code key_cache} is {@link KeyCache}'s device memory, or NULL with 0 entries. The module's
 * constant {@code bip340_key_cache_entry_bytes} says how large one cache entry is.
 */
public final class CudaKernel implements AutoCloseable {
    /** The module constant that sizes one key-cache entry. */
    static final String KEY_CACHE_ENTRY_BYTES = "bip340_key_cache_entry_bytes";

    private final CudaDeviceInfo device;
    private final CUcontext context;
    private final CUmodule module;
    private final CUfunction function;
    private final int threadsPerBlock;

    private CudaKernel(CudaDeviceInfo device, CUcontext context, CUmodule module, CUfunction function,
                       int threadsPerBlock) {
        this.device = device;
        this.context = context;
        this.module = module;
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
            CUmodule module = loadModule(ptx, device);
            return new CudaKernel(device, context, module, function(module), options.threadsPerBlock());
        } catch (CudaUnavailableException | RuntimeException e) {
            destroyQuietly(context);
            throw e;
        }
    }

    private static CUmodule loadModule(byte[] ptx, CudaDeviceInfo device) throws CudaUnavailableException {
        CUmodule module = new CUmodule();
        try {
            JCudaDriver.cuModuleLoadData(module, ptx);
        } catch (CudaException e) {
            throw new CudaUnavailableException("module failed to load on " + device.architecture() + ", driver "
                    + device.driverVersionText() + ": " + e.getMessage(), e);
        }
        return module;
    }

    private static CUfunction function(CUmodule module) throws CudaUnavailableException {
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

    /**
     * Bytes of one key-cache entry as the module's {@value #KEY_CACHE_ENTRY_BYTES} constant says, or 0 when the
     * module has no such constant (a kernel without a key cache).
     */
    public int keyCacheEntryBytes() {
        CUdeviceptr address = new CUdeviceptr();
        long[] size = new long[1];
        try {
            JCudaDriver.cuModuleGetGlobal(address, size, module, KEY_CACHE_ENTRY_BYTES);
        } catch (CudaException e) {
            return 0; // CUDA_ERROR_NOT_FOUND
        }
        if (size[0] != Integer.BYTES) {
            throw new IllegalStateException(KEY_CACHE_ENTRY_BYTES + " is " + size[0] + " bytes, expected 4");
        }
        int[] value = new int[1];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(value), address, Integer.BYTES);
        return value[0];
    }

    /** Queues the kernel over {@code count} records on {@code stream}; returns at once. */
    public void launch(CUdeviceptr records, CUdeviceptr verdicts, int count, KeyCache cache, CUstream stream) {
        launch(records, verdicts, count, cache, stream, threadsPerBlock);
    }

    /** As {@link #launch(CUdeviceptr, CUdeviceptr, int, KeyCache, CUstream)} with another block size (benchmarks). */
    public void launch(CUdeviceptr records, CUdeviceptr verdicts, int count, KeyCache cache, CUstream stream,
                       int blockSize) {
        Pointer parameters = Pointer.to(Pointer.to(records), Pointer.to(verdicts), Pointer.to(new int[]{count}),
                Pointer.to(cache.pointer()), Pointer.to(new int[]{cache.entries()}));
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
