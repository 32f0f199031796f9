package org.nostrgpu.worker.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * The kernel's cache of lifted public keys in device memory: {@code entries} entries of the kernel's own entry size,
 * zeroed once when allocated and then kept across launches and shared by every stream of the context (the kernel
 * guards each entry itself). Nostr authors sign many events, so a key seen before skips its lifting. Lives and dies
 * with its context; owner thread only.
 *
 * <p>Without a cache (0 entries configured, or a kernel that exports no entry size) the kernel gets NULL and 0.
 */
public final class KeyCache {
    private final CUdeviceptr pointer;
    private final int entries;
    private final int entryBytes;
    private final String description;

    private KeyCache(CUdeviceptr pointer, int entries, int entryBytes, String description) {
        this.pointer = pointer;
        this.entries = entries;
        this.entryBytes = entryBytes;
        this.description = description;
    }

    /** Allocates and zeroes {@code entries} entries for {@code kernel}, or none when 0 or the kernel has no cache. */
    public static KeyCache allocate(CudaKernel kernel, int entries) {
        if (entries == 0) {
            return none("off (0 entries configured)");
        }
        int entryBytes = kernel.keyCacheEntryBytes();
        if (entryBytes <= 0) {
            return none("off: the kernel exports no " + CudaKernel.KEY_CACHE_ENTRY_BYTES + " (a kernel without a key cache)");
        }
        long bytes = (long) entries * entryBytes;
        CUdeviceptr memory = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(memory, bytes);
        JCudaDriver.cuMemsetD8(memory, (byte) 0, bytes);
        return new KeyCache(memory, entries, entryBytes, describe(entries, entryBytes));
    }

    /** No cache: the kernel gets NULL and 0 entries. */
    public static KeyCache none(String why) {
        return new KeyCache(new CUdeviceptr(), 0, 0, why);
    }

    static String describe(int entries, int entryBytes) {
        long bytes = (long) entries * entryBytes;
        return entries + " entries of " + entryBytes + " bytes (" + (bytes >> 20) + " MiB)";
    }

    CUdeviceptr pointer() {
        return pointer;
    }

    public int entries() {
        return entries;
    }

    public int entryBytes() {
        return entryBytes;
    }

    /** e.g. "65536 entries of 656 bytes (41 MiB)" or "off (0 entries configured)" */
    public String describe() {
        return description;
    }
}
