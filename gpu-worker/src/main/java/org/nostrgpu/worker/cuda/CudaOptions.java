package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.verify.SignatureRecords;

import java.nio.file.Path;

/**
 * Tuning of the CUDA backend.
 *
 * @param deviceOrdinal        which GPU (0 = the first)
 * @param threadsPerBlock      CUDA block size of the verify kernel. 256 by default: on the H200 (2026-11-26,
 *                             1 048 576 signatures) 256 gave 28.4 M verifies/s against 25.7 M for 128; 512 gave
 *                             32.4 M but fills the whole register file at 128 registers/thread, so any growth of
 *                             the kernel would make every launch fail. DeviceCheck times the alternatives.
 * @param streams              pipeline depth: launches in flight at once, each on its own stream and buffers (>= 2
 *                             so the upload of one launch overlaps the kernel of the previous one)
 * @param maxRecordsPerLaunch  a batch larger than this is cut into several launches; also bounds each stream's
 *                             buffers (pinned host and device memory: about 129 bytes per record per stream)
 * @param initialRecords       records each stream's buffers hold at start; they double when a batch needs more
 * @param ptxFile              PTX to load instead of the kernel bundled in the jar, or null
 * @param keyCacheEntries      entries of the kernel's device-memory cache of lifted public keys (a power of two;
 *                             0 = no cache). Each entry takes the kernel's {@code bip340_key_cache_entry_bytes}.
 * @param stageTimings         record CUDA events around each launch's upload, kernel and download and add up
 *                             their times ({@link StageTimings}); for benchmarks, a few microseconds per launch
 */
public record CudaOptions(int deviceOrdinal, int threadsPerBlock, int streams, int maxRecordsPerLaunch,
                          int initialRecords, Path ptxFile, int keyCacheEntries, boolean stageTimings) {
    public static final int DEFAULT_THREADS_PER_BLOCK = 256;
    public static final int DEFAULT_STREAMS = 3;
    public static final int DEFAULT_MAX_RECORDS_PER_LAUNCH = 262_144;
    public static final int DEFAULT_INITIAL_RECORDS = 16_384;

    public CudaOptions {
        if (deviceOrdinal < 0) {
            throw new IllegalArgumentException("device ordinal must be >= 0, got " + deviceOrdinal);
        }
        if (threadsPerBlock < 32 || threadsPerBlock > 1024 || threadsPerBlock % 32 != 0) {
            throw new IllegalArgumentException("threads per block must be a multiple of 32 in [32, 1024], got "
                    + threadsPerBlock);
        }
        if (streams < 1 || streams > 16) {
            throw new IllegalArgumentException("streams must be in [1, 16], got " + streams);
        }
        if (maxRecordsPerLaunch < 1 || maxRecordsPerLaunch > (Integer.MAX_VALUE / SignatureRecords.RECORD_BYTES)) {
            throw new IllegalArgumentException("max records per launch out of range: " + maxRecordsPerLaunch);
        }
        if (initialRecords < 1 || initialRecords > maxRecordsPerLaunch) {
            throw new IllegalArgumentException("initial records must be in [1, max records per launch], got "
                    + initialRecords);
        }
        if (!WorkerConfig.validKeyCacheEntries(keyCacheEntries)) {
            throw new IllegalArgumentException("key cache entries must be 0 (no cache) or a power of two up to "
                    + WorkerConfig.MAX_KEY_CACHE_ENTRIES + ", got " + keyCacheEntries);
        }
    }

    public static CudaOptions defaults() {
        return new CudaOptions(0, DEFAULT_THREADS_PER_BLOCK, DEFAULT_STREAMS, DEFAULT_MAX_RECORDS_PER_LAUNCH,
                DEFAULT_INITIAL_RECORDS, null, WorkerConfig.DEFAULT_KEY_CACHE_ENTRIES, false);
    }

    public CudaOptions withDeviceOrdinal(int ordinal) {
        return new CudaOptions(ordinal, threadsPerBlock, streams, maxRecordsPerLaunch, initialRecords, ptxFile,
                keyCacheEntries, stageTimings);
    }

    public CudaOptions withThreadsPerBlock(int threads) {
        return new CudaOptions(deviceOrdinal, threads, streams, maxRecordsPerLaunch, initialRecords, ptxFile,
                keyCacheEntries, stageTimings);
    }

    public CudaOptions withStreams(int count) {
        return new CudaOptions(deviceOrdinal, threadsPerBlock, count, maxRecordsPerLaunch, initialRecords, ptxFile,
                keyCacheEntries, stageTimings);
    }

    public CudaOptions withMaxRecordsPerLaunch(int records) {
        return new CudaOptions(deviceOrdinal, threadsPerBlock, streams, records, Math.min(initialRecords, records),
                ptxFile, keyCacheEntries, stageTimings);
    }

    public CudaOptions withPtxFile(Path file) {
        return new CudaOptions(deviceOrdinal, threadsPerBlock, streams, maxRecordsPerLaunch, initialRecords, file,
                keyCacheEntries, stageTimings);
    }

    public CudaOptions withKeyCacheEntries(int entries) {
        return new CudaOptions(deviceOrdinal, threadsPerBlock, streams, maxRecordsPerLaunch, initialRecords, ptxFile,
                entries, stageTimings);
    }

    public CudaOptions withStageTimings(boolean on) {
        return new CudaOptions(deviceOrdinal, threadsPerBlock, streams, maxRecordsPerLaunch, initialRecords, ptxFile,
                keyCacheEntries, on);
    }
}
