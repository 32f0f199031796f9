package org.nostrgpu.bench.device;

import org.nostrgpu.worker.cuda.CudaOptions;

import java.util.Locale;

/**
 * The check of the GPU path on a machine with a GPU, in parts that each run in their own JVM
 * ({@code bench/device/run-on-device.sh} runs them in turn, each time-bounded, so a failure in one does not lose the
 * others). Each part prints its log and markdown tables (captioned with the GPU model) and writes
 * {@code OUT/PART.json}; the report part sums them up. Without a GPU every part still runs what needs none
 * (the CPU baselines, the event bus and the cluster on the CPU backend) and says why CUDA is unavailable. See
 * {@link DeviceCheckOptions#USAGE}.
 */
public final class DeviceCheck {
    /** Exit status: a verdict differs from libsecp256k1's. */
    static final int MISMATCH = 1;
    /** Exit status: bad arguments. */
    static final int USAGE = 2;
    /** Exit status of the machine part: CUDA cannot be used here. */
    static final int NO_CUDA = 3;
    /** Exit status: the part failed. */
    static final int FAILED = 5;

    public static void main(String[] args) {
        DeviceCheckOptions options;
        try {
            options = DeviceCheckOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(DeviceCheckOptions.USAGE);
            System.exit(USAGE);
            return;
        }
        System.exit(run(options));
    }

    static int run(DeviceCheckOptions options) {
        PartResults results = new PartResults(options, Machine.describe());
        results.log("options: " + options);
        results.log("machine: " + results.machine().caption());
        int status;
        try {
            status = switch (options.part()) {
                case "machine" -> MachinePart.run(options, results);
                case "corpus" -> CorpusPart.run(options, results);
                case "differential" -> DifferentialPart.run(options, results);
                case "throughput" -> ThroughputPart.run(options, results);
                case "eventbus" -> EventBusPart.run(options, results);
                case "hybrid" -> HybridPart.run(options, results);
                case "cluster" -> ClusterPart.run(options, results);
                case "report" -> ReportPart.run(options, results);
                default -> throw new IllegalArgumentException("unknown part " + options.part());
            };
            if (results.mismatches() > 0) {
                results.log("FAILED: " + results.mismatches() + " verdicts differ from libsecp256k1");
                status = MISMATCH;
            }
        } catch (Exception | Error e) {
            e.printStackTrace(System.out);
            results.log("FAILED: " + e);
            results.put("error", e.toString());
            status = results.mismatches() > 0 ? MISMATCH : FAILED;
        }
        results.put("status", status);
        try {
            if (!options.part().equals("report")) {
                results.write();
            }
        } catch (Exception e) {
            results.log("cannot write the results: " + e);
            status = status == 0 ? FAILED : status;
        }
        results.log(String.format(Locale.ROOT, "done in %.1f s, exit status %d", results.seconds(), status));
        System.out.flush();
        return status;
    }

    /** The CUDA backend's tuning from the options; stage timings on, as the parts report the pipeline's stages. */
    static CudaOptions cudaOptions(DeviceCheckOptions options) {
        return new CudaOptions(0, options.threadsPerBlock(), options.streams(), options.maxRecordsPerLaunch(),
                Math.min(CudaOptions.DEFAULT_INITIAL_RECORDS, options.maxRecordsPerLaunch()), options.ptx(),
                options.keyCacheEntries(), true);
    }

    private DeviceCheck() {
    }
}
