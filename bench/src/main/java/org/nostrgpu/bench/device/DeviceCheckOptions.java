package org.nostrgpu.bench.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command line of the device check; see {@link #USAGE}. */
public record DeviceCheckOptions(Path vectors, Path json, int randomSignatures, List<Integer> batchSizes, int repetitions,
                                 int cpuSingleSample, int cpuAllSample, int threads, int callers, long seed,
                                 double budgetSeconds, boolean requireCuda, Path ptx, int threadsPerBlock,
                                 int streams, int maxRecordsPerLaunch, List<Integer> blockSweep) {

    public static final String USAGE = """
            usage: DeviceCheck [options]
              --vectors FILE        BIP-340 test-vector CSV (rows with 32-byte messages are used)
              --json FILE           also write the results as JSON
              --random N            random signatures for the differential test (default 1000000)
              --sizes A,B,...       batch sizes for throughput (default 1024,4096,16384,65536,262144,1048576,4194304)
              --reps N              timed repetitions after one warm-up, median reported (default 5)
              --cpu-single N        signatures for the 1-thread CPU measurement (default 20000)
              --cpu-all N           signatures for the all-threads CPU measurement (default 400000)
              --threads N           threads for generation, reference and the CPU backend (default: all cores)
              --callers N           concurrent callers in the pipelined end-to-end measurement (default 4)
              --seed N              seed of the random signatures (default 20261124)
              --budget-seconds S    time budget per measured size; fewer repetitions or larger sizes skipped
                                    beyond it (default 15)
              --require-cuda        exit 3 when the CUDA backend is not selected (after running everything else)
              --ptx FILE            load this PTX instead of the bundled kernel
              --block N             threads per block (default 128)
              --block-sweep A,B,..  kernel-only at 1048576 (or the largest size) with these block sizes too
                                    (default 64,128,256,512)
              --streams N           CUDA streams / launches in flight (default 3)
              --launch-max N        most records per launch (default 262144)
              --smoke               small quick run: --random 3000 --sizes 1024,4096 --reps 2 --cpu-single 2000
                                    --cpu-all 8000 --block-sweep 128,256
            exit status: 0 all verdicts agree, 1 a mismatch, 2 bad arguments, 3 CUDA required but not selected
            """;

    public static DeviceCheckOptions parse(String[] args) {
        int cores = Runtime.getRuntime().availableProcessors();
        Path vectors = null;
        Path json = null;
        int random = 1_000_000;
        List<Integer> sizes = List.of(1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304);
        int reps = 5;
        int cpuSingle = 20_000;
        int cpuAll = 400_000;
        int threads = cores;
        int callers = 4;
        long seed = 20261124L;
        double budget = 15;
        boolean requireCuda = false;
        Path ptx = null;
        int block = 128;
        List<Integer> blockSweep = List.of(64, 128, 256, 512);
        int streams = 3;
        int launchMax = 262_144;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--smoke" -> {
                    random = 3000;
                    sizes = List.of(1024, 4096);
                    blockSweep = List.of(128, 256);
                    reps = 2;
                    cpuSingle = 2000;
                    cpuAll = 8000;
                }
                case "--require-cuda" -> requireCuda = true;
                case "--vectors" -> vectors = Path.of(value(args, ++i, option));
                case "--json" -> json = Path.of(value(args, ++i, option));
                case "--random" -> random = positive(args, ++i, option);
                case "--sizes" -> sizes = sizes(value(args, ++i, option));
                case "--reps" -> reps = positive(args, ++i, option);
                case "--cpu-single" -> cpuSingle = positive(args, ++i, option);
                case "--cpu-all" -> cpuAll = positive(args, ++i, option);
                case "--threads" -> threads = positive(args, ++i, option);
                case "--callers" -> callers = positive(args, ++i, option);
                case "--seed" -> seed = Long.parseLong(value(args, ++i, option));
                case "--budget-seconds" -> budget = Double.parseDouble(value(args, ++i, option));
                case "--ptx" -> ptx = Path.of(value(args, ++i, option));
                case "--block" -> block = positive(args, ++i, option);
                case "--block-sweep" -> blockSweep = sizes(value(args, ++i, option));
                case "--streams" -> streams = positive(args, ++i, option);
                case "--launch-max" -> launchMax = positive(args, ++i, option);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new DeviceCheckOptions(vectors, json, random, sizes, reps, cpuSingle, cpuAll, threads, callers, seed,
                budget, requireCuda, ptx, block, streams, launchMax, blockSweep);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(String[] args, int index, String option) {
        String text = value(args, index, option);
        int value;
        try {
            value = Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got " + text, e);
        }
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
        return value;
    }

    private static List<Integer> sizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split(",")) {
            sizes.add(positive(new String[]{part.strip()}, 0, "--sizes"));
        }
        return sizes.stream().sorted().distinct().toList();
    }

    @Override
    public String toString() {
        return "random=" + randomSignatures + " sizes=" + Arrays.toString(batchSizes.toArray()) + " reps=" + repetitions
                + " cpuSingle=" + cpuSingleSample + " cpuAll=" + cpuAllSample + " threads=" + threads
                + " callers=" + callers + " seed=" + seed + " budget=" + budgetSeconds + "s block=" + threadsPerBlock
                + " streams=" + streams + " launchMax=" + maxRecordsPerLaunch + " blockSweep=" + blockSweep;
    }
}
