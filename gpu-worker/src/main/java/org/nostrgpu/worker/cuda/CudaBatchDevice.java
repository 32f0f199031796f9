package org.nostrgpu.worker.cuda;

import java.nio.ByteBuffer;

/**
 * The verify kernel in its own context with {@link CudaOptions#streams()} slots and one {@link KeyCache} shared by
 * all of them. Owner thread only.
 */
final class CudaBatchDevice implements BatchDevice {
    private final CudaKernel kernel;
    private final KeyCache keyCache;
    private final CudaSlot[] slots;
    private final int maxRecordsPerLaunch;

    private CudaBatchDevice(CudaKernel kernel, KeyCache keyCache, CudaSlot[] slots, int maxRecordsPerLaunch) {
        this.kernel = kernel;
        this.keyCache = keyCache;
        this.slots = slots;
        this.maxRecordsPerLaunch = maxRecordsPerLaunch;
    }

    static CudaBatchDevice open(CudaOptions options, byte[] ptx, StageTimings timings) throws CudaUnavailableException {
        CudaKernel kernel = CudaKernel.open(options, ptx);
        try {
            KeyCache keyCache = KeyCache.allocate(kernel, options.keyCacheEntries());
            CudaSlot[] slots = new CudaSlot[options.streams()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new CudaSlot(options.initialRecords(), options.maxRecordsPerLaunch(), timings,
                        options.stageTimings());
            }
            return new CudaBatchDevice(kernel, keyCache, slots, options.maxRecordsPerLaunch());
        } catch (RuntimeException e) {
            kernel.close();
            throw new CudaUnavailableException("cannot allocate the key cache, streams and buffers: "
                    + e.getMessage(), e);
        }
    }

    CudaDeviceInfo info() {
        return kernel.device();
    }

    @Override
    public int slots() {
        return slots.length;
    }

    @Override
    public int maxRecordsPerLaunch() {
        return maxRecordsPerLaunch;
    }

    @Override
    public ByteBuffer stage(int slot, int records) {
        return slots[slot].stage(records);
    }

    @Override
    public void launch(int slot, int records) {
        slots[slot].launch(kernel, keyCache, records);
    }

    @Override
    public boolean isDone(int slot) {
        return slots[slot].isDone();
    }

    @Override
    public ByteBuffer awaitVerdicts(int slot) {
        return slots[slot].awaitVerdicts();
    }

    @Override
    public String describe() {
        return "cuda(" + kernel.device().summary() + ")";
    }

    @Override
    public String keyCache() {
        return keyCache.describe();
    }

    @Override
    public void close() {
        kernel.close();
    }
}
