package org.nostrgpu.bench.device;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.worker.cuda.CudaKernel;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaUnavailableException;
import org.nostrgpu.worker.cuda.KernelAttributes;
import org.nostrgpu.worker.cuda.KeyCache;

import java.nio.ByteBuffer;

import static jcuda.driver.CUevent_flags.CU_EVENT_DEFAULT;
import static jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING;

/**
 * Times the verify kernel alone: the records are uploaded once, then each measurement is the time between
 * two events recorded around one launch on the same stream, with the key cache of {@link CudaOptions} or without
 * one. Opens its own context, current on the calling thread, which must make every call. For benchmarks, not for
 * the serving path.
 */
final class KernelTimer implements AutoCloseable {
    private static final int UPLOAD_CHUNK_RECORDS = 65_536;

    private final CudaKernel kernel;
    private final KeyCache cache;
    private final KeyCache noCache = KeyCache.none("kernel timer without cache");
    private final int capacity;
    private final CUdeviceptr records = new CUdeviceptr();
    private final CUdeviceptr verdicts = new CUdeviceptr();
    private final CUstream stream = new CUstream();
    private final CUevent start = new CUevent();
    private final CUevent stop = new CUevent();

    private KernelTimer(CudaKernel kernel, int keyCacheEntries, SignatureRecords source, int capacity) {
        this.kernel = kernel;
        this.capacity = capacity;
        this.cache = KeyCache.allocate(kernel, keyCacheEntries);
        JCudaDriver.cuStreamCreate(stream, CU_STREAM_NON_BLOCKING);
        JCudaDriver.cuEventCreate(start, CU_EVENT_DEFAULT);
        JCudaDriver.cuEventCreate(stop, CU_EVENT_DEFAULT);
        JCudaDriver.cuMemAlloc(records, SignatureRecords.bytesFor(capacity));
        JCudaDriver.cuMemAlloc(verdicts, capacity);
        upload(source);
    }

    /** Opens the kernel and uploads {@code source}'s records, repeated from the start up to {@code capacity}. */
    static KernelTimer open(CudaOptions options, SignatureRecords source, int capacity) throws CudaUnavailableException {
        CudaKernel kernel = CudaKernel.open(options);
        try {
            return new KernelTimer(kernel, options.keyCacheEntries(), source, capacity);
        } catch (RuntimeException e) {
            kernel.close();
            throw e;
        }
    }

    KernelAttributes attributes() {
        return kernel.attributes();
    }

    String keyCache() {
        return cache.describe();
    }

    /** Runs the kernel over the first {@code count} uploaded records; milliseconds of GPU time. */
    double launchMillis(int count, boolean cached) {
        return launchMillis(count, cached, kernel.threadsPerBlock());
    }

    /** As {@link #launchMillis(int, boolean)} with blocks of {@code blockSize} threads. */
    double launchMillis(int count, boolean cached, int blockSize) {
        if (count < 1 || count > capacity) {
            throw new IllegalArgumentException("count must be in [1, " + capacity + "], got " + count);
        }
        JCudaDriver.cuMemsetD8Async(verdicts, Verdict.NOT_VERIFIED_CODE, count, stream);
        JCudaDriver.cuEventRecord(start, stream);
        kernel.launch(records, verdicts, count, cached ? cache : noCache, stream, blockSize);
        JCudaDriver.cuEventRecord(stop, stream);
        JCudaDriver.cuEventSynchronize(stop);
        float[] millis = new float[1];
        JCudaDriver.cuEventElapsedTime(millis, start, stop);
        return millis[0];
    }

    /** The verdict codes of the last launch, first {@code count} of them. */
    byte[] verdictCodes(int count) {
        byte[] codes = new byte[count];
        JCudaDriver.cuStreamSynchronize(stream);
        JCudaDriver.cuMemcpyDtoH(Pointer.to(codes), verdicts, count);
        return codes;
    }

    private void upload(SignatureRecords source) {
        int chunk = Math.min(UPLOAD_CHUNK_RECORDS, capacity);
        Pointer staging = new Pointer();
        JCudaDriver.cuMemAllocHost(staging, SignatureRecords.bytesFor(chunk));
        try {
            ByteBuffer view = staging.getByteBuffer(0, SignatureRecords.bytesFor(chunk));
            for (int from = 0; from < capacity; ) {
                int inSource = from % source.count();
                int length = Math.min(Math.min(chunk, capacity - from), source.count() - inSource);
                source.copyTo(inSource, length, view, 0);
                JCudaDriver.cuMemcpyHtoD(records.withByteOffset(SignatureRecords.bytesFor(from)), staging,
                        SignatureRecords.bytesFor(length));
                from += length;
            }
        } finally {
            JCudaDriver.cuMemFreeHost(staging);
        }
    }

    @Override
    public void close() {
        kernel.close();
    }
}
