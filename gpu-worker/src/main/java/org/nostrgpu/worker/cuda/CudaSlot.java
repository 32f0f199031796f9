package org.nostrgpu.worker.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;

import static jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING;

/**
 * One pipeline stage: a stream and its own buffers (page-locked host records and verdicts, device records
 * and verdicts). A launch uploads the records, clears the verdicts, runs the kernel and downloads the
 * verdicts, all queued on the stream; while it runs, the other slots' streams copy and compute.
 * Buffers are allocated once and reallocated only to grow. Owner thread only.
 */
final class CudaSlot {
    private final CUstream stream = new CUstream();
    private final GrowableCapacity capacity;
    private Pointer hostRecords;
    private Pointer hostVerdicts;
    private ByteBuffer hostRecordsView;
    private ByteBuffer hostVerdictsView;
    private CUdeviceptr deviceRecords;
    private CUdeviceptr deviceVerdicts;
    private int launched;

    CudaSlot(int initialRecords, int maxRecords) {
        JCudaDriver.cuStreamCreate(stream, CU_STREAM_NON_BLOCKING);
        capacity = new GrowableCapacity(initialRecords, maxRecords);
        allocate(capacity.current());
    }

    int capacity() {
        return capacity.current();
    }

    /** The page-locked buffer to pack {@code records} records into, grown first if they do not fit. */
    ByteBuffer stage(int records) {
        if (capacity.growFor(records)) {
            free();
            allocate(capacity.current());
        }
        return hostRecordsView;
    }

    void launch(CudaKernel kernel, int records) {
        JCudaDriver.cuMemcpyHtoDAsync(deviceRecords, hostRecords, SignatureRecords.bytesFor(records), stream);
        JCudaDriver.cuMemsetD8Async(deviceVerdicts, VerdictCodes.UNWRITTEN, records, stream);
        kernel.launch(deviceRecords, deviceVerdicts, records, stream);
        JCudaDriver.cuMemcpyDtoHAsync(hostVerdicts, deviceVerdicts, records, stream);
        launched = records;
    }

    /** Blocks until this slot's last launch is done; the returned buffer holds its verdict codes from index 0. */
    ByteBuffer awaitVerdicts() {
        JCudaDriver.cuStreamSynchronize(stream);
        return hostVerdictsView.duplicate().clear().limit(launched);
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
