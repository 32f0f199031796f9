package org.nostrgpu.worker.cuda;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where the time of the CUDA pipeline goes, added up over launches: per launch the device's upload, kernel and
 * download (CUDA events around each, only with {@link CudaOptions#stageTimings()}) and the owner thread's copying
 * of records into the pinned buffer and of verdicts out of it (always). Set against the wall time of a measurement
 * they show the overlap: with a full pipeline the kernel time approaches the wall time while upload, download and
 * copying run beside it. Written by the owner thread, read by anyone.
 */
public final class StageTimings {
    private final LongAdder launches = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final LongAdder uploadNanos = new LongAdder();
    private final LongAdder kernelNanos = new LongAdder();
    private final LongAdder downloadNanos = new LongAdder();
    private final LongAdder stageNanos = new LongAdder();
    private final LongAdder verdictNanos = new LongAdder();
    private final LongAdder deviceTimedLaunches = new LongAdder();

    /** Totals since start; subtract two snapshots to time one measurement. */
    public record Snapshot(long launches, long records, long uploadNanos, long kernelNanos, long downloadNanos,
                           long stageNanos, long verdictNanos, long deviceTimedLaunches) {

        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(launches - earlier.launches, records - earlier.records,
                    uploadNanos - earlier.uploadNanos, kernelNanos - earlier.kernelNanos,
                    downloadNanos - earlier.downloadNanos, stageNanos - earlier.stageNanos,
                    verdictNanos - earlier.verdictNanos, deviceTimedLaunches - earlier.deviceTimedLaunches);
        }

        /** e.g. "12 launches, upload 1.2 ms, kernel 30.1 ms, download 0.1 ms, staging 8.0 ms, verdicts 0.4 ms" */
        public String describe() {
            return String.format(java.util.Locale.ROOT,
                    "%d launches, upload %.1f ms, kernel %.1f ms, download %.1f ms (device events on %d launches), "
                            + "host staging %.1f ms, host verdicts %.1f ms",
                    launches, uploadNanos / 1e6, kernelNanos / 1e6, downloadNanos / 1e6, deviceTimedLaunches,
                    stageNanos / 1e6, verdictNanos / 1e6);
        }
    }

    void launched(int count, long stagingNanos) {
        launches.increment();
        records.add(count);
        stageNanos.add(stagingNanos);
    }

    void verdictsCopied(long nanos) {
        verdictNanos.add(nanos);
    }

    void deviceStages(long upload, long kernel, long download) {
        uploadNanos.add(upload);
        kernelNanos.add(kernel);
        downloadNanos.add(download);
        deviceTimedLaunches.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(launches.sum(), records.sum(), uploadNanos.sum(), kernelNanos.sum(), downloadNanos.sum(),
                stageNanos.sum(), verdictNanos.sum(), deviceTimedLaunches.sum());
    }
}
