package org.nostrgpu.bench.device;

import org.nostrgpu.worker.cuda.CudaDeviceInfo;
import org.nostrgpu.worker.cuda.CudaKernel;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaUnavailableException;
import org.nostrgpu.worker.cuda.KernelAttributes;
import org.nostrgpu.worker.cuda.KeyCache;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;
import java.util.List;

import static jcuda.driver.CUevent_flags.CU_EVENT_DEFAULT;
import static jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING;

/**
 * Times the verify kernel alone: the records are uploaded once, then each measurement is the time between
 * two events recorded around one launch on the same stream. Opens its own context, current on the calling
 * thread, which must make every call. For benchmarks, not for the serving path.
 */
final class KernelTimer implements AutoCloseable {
    private static final int UPLOAD_CHUNK_RECORDS = 65_536;

    private final CudaKernel kernel;
    private final int capacity;
    private final CUdeviceptr records = new CUdeviceptr();
    private final CUdeviceptr verdicts = new CUdeviceptr();
    private final CUstream stream = new CUstream();
    private final CUevent start = new CUevent();
    private final CUevent stop = new CUevent();

    private KernelTimer(CudaKernel kernel, List<SignatureCheck> checks) {
        this.kernel = kernel;
        this.capacity = checks.size();
        JCudaDriver.cuStreamCreate(stream, CU_STREAM_NON_BLOCKING);
        JCudaDriver.cuEventCreate(start, CU_EVENT_DEFAULT);
        JCudaDriver.cuEventCreate(stop, CU_EVENT_DEFAULT);
        JCudaDriver.cuMemAlloc(records, SignatureRecords.bytesFor(capacity));
        JCudaDriver.cuMemAlloc(verdicts, capacity);
        upload(checks);
    }

    /** Opens the kernel and uploads {@code checks} (all of them, in order) to the device. */
    static KernelTimer open(CudaOptions options, List<SignatureCheck> checks) throws CudaUnavailableException {
        CudaKernel kernel = CudaKernel.open(options);
        try {
            return new KernelTimer(kernel, checks);
        } catch (RuntimeException e) {
            kernel.close();
            throw e;
        }
    }

    CudaDeviceInfo device() {
        return kernel.device();
    }

    KernelAttributes attributes() {
        return kernel.attributes();
    }

    /** Runs the kernel over the first {@code count} uploaded records; milliseconds of GPU time. */
    double launchMillis(int count) {
        return launchMillis(count, kernel.threadsPerBlock());
    }

    /** As {@link #launchMillis(int)} with blocks of {@code blockSize} threads. */
    double launchMillis(int count, int blockSize) {
        if (count < 1 || count > capacity) {
            throw new IllegalArgumentException("count must be in [1, " + capacity + "], got " + count);
        }
        JCudaDriver.cuMemsetD8Async(verdicts, Verdict.NOT_VERIFIED_CODE, count, stream);
        JCudaDriver.cuEventRecord(start, stream);
        kernel.launch(records, verdicts, count, KeyCache.none("kernel timer"), stream, blockSize);
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

    private void upload(List<SignatureCheck> checks) {
        int chunk = Math.min(UPLOAD_CHUNK_RECORDS, checks.size());
        Pointer staging = new Pointer();
        JCudaDriver.cuMemAllocHost(staging, SignatureRecords.bytesFor(chunk));
        try {
            ByteBuffer view = staging.getByteBuffer(0, SignatureRecords.bytesFor(chunk));
            for (int from = 0; from < checks.size(); from += chunk) {
                int to = Math.min(checks.size(), from + chunk);
                SignatureRecords.of(checks.subList(from, to)).copyTo(0, to - from, view, 0);
                JCudaDriver.cuMemcpyHtoD(records.withByteOffset(SignatureRecords.bytesFor(from)), staging,
                        SignatureRecords.bytesFor(to - from));
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
