package org.nostrgpu.worker.cuda;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;

import static jcuda.driver.CUevent_flags.CU_EVENT_DEFAULT;
import static jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING;

/**
 * One pipeline stage: a stream and its own buffers (page-locked host records and verdicts, device records
 * and verdicts). A launch uploads the records, clears the verdicts to NOT_VERIFIED, runs the kernel and downloads
 * the verdicts, all queued on the stream; while it runs, the other slots' streams copy and compute.
 * Buffers are allocated once and reallocated only to grow. With stage timings on, CUDA events around the upload,
 * the kernel and the download time each. Owner thread only.
 */
final class CudaSlot {
    private static final String NOT_READY = CUresult.stringFor(CUresult.CUDA_ERROR_NOT_READY);

    private final CUstream stream = new CUstream();
    private final GrowableCapacity capacity;
    private final StageTimings timings;
    /** Null without stage timings; else before upload, after upload, after kernel, after download. */
    private final CUevent[] marks;
    private Pointer hostRecords;
    private Pointer hostVerdicts;
    private ByteBuffer hostRecordsView;
    private ByteBuffer hostVerdictsView;
    private CUdeviceptr deviceRecords;
    private CUdeviceptr deviceVerdicts;
    private int launched;

    CudaSlot(int initialRecords, int maxRecords, StageTimings timings, boolean eventTimings) {
        JCudaDriver.cuStreamCreate(stream, CU_STREAM_NON_BLOCKING);
        this.timings = timings;
        this.marks = eventTimings ? new CUevent[4] : null;
        if (marks != null) {
            for (int i = 0; i < marks.length; i++) {
                marks[i] = new CUevent();
                JCudaDriver.cuEventCreate(marks[i], CU_EVENT_DEFAULT);
            }
        }
        capacity = new GrowableCapacity(initialRecords, maxRecords);
        allocate(capacity.current());
    }

    int capacity() {
        return capacity.current();
    }

    /** The page-locked buffer to copy {@code records} records into, grown first if they do not fit. */
    ByteBuffer stage(int records) {
        if (capacity.growFor(records)) {
            free();
            allocate(capacity.current());
        }
        return hostRecordsView;
    }

    void launch(CudaKernel kernel, KeyCache cache, int records) {
        mark(0);
        JCudaDriver.cuMemcpyHtoDAsync(deviceRecords, hostRecords, SignatureRecords.bytesFor(records), stream);
        mark(1);
        JCudaDriver.cuMemsetD8Async(deviceVerdicts, Verdict.NOT_VERIFIED_CODE, records, stream);
        kernel.launch(deviceRecords, deviceVerdicts, records, cache, stream);
        mark(2);
        JCudaDriver.cuMemcpyDtoHAsync(hostVerdicts, deviceVerdicts, records, stream);
        mark(3);
        launched = records;
    }

    /** Whether the last launch is done, without waiting. */
    boolean isDone() {
        try {
            JCudaDriver.cuStreamQuery(stream);
            return true;
        } catch (CudaException e) {
            if (NOT_READY.equals(e.getMessage())) {
                return false;
            }
            throw e;
        }
    }

    /** Blocks until this slot's last launch is done; the returned buffer holds its verdict codes from index 0. */
    ByteBuffer awaitVerdicts() {
        JCudaDriver.cuStreamSynchronize(stream);
        if (marks != null) {
            timings.deviceStages(elapsedNanos(marks[0], marks[1]), elapsedNanos(marks[1], marks[2]),
                    elapsedNanos(marks[2], marks[3]));
        }
        return hostVerdictsView.duplicate().clear().limit(launched);
    }

    private void mark(int index) {
        if (marks != null) {
            JCudaDriver.cuEventRecord(marks[index], stream);
        }
    }

    private static long elapsedNanos(CUevent from, CUevent to) {
        float[] millis = new float[1];
        JCudaDriver.cuEventElapsedTime(millis, from, to);
        return (long) (millis[0] * 1e6);
    }

    private void allocate(int records) {
        long recordBytes = SignatureRecords.bytesFor(records);
        hostRecords = new Pointer();
        JCudaDriver.cuMemAllocHost(hostRecords, recordBytes);
        hostRecordsView = hostRecords.getByteBuffer(0, recordBytes);
        hostVerdicts = new Pointer();
        JCudaDriver.cuMemAllocHost(hostVerdicts, records);
        hostVerdictsView = hostVerdicts.getByteBuffer(0, records);
        deviceRecords = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(deviceRecords, recordBytes);
        deviceVerdicts = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(deviceVerdicts, records);
    }

    private void free() {
        JCudaDriver.cuMemFreeHost(hostRecords);
        JCudaDriver.cuMemFreeHost(hostVerdicts);
        JCudaDriver.cuMemFree(deviceRecords);
        JCudaDriver.cuMemFree(deviceVerdicts);
        hostRecordsView = null;
        hostVerdictsView = null;
    }
}
