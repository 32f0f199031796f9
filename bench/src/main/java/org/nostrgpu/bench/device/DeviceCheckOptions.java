package org.nostrgpu.bench.device;

import org.nostrgpu.common.config.WorkerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Command line of the device check: one part and its options; see {@link #USAGE}. */
public record DeviceCheckOptions(String part, Path out, Path work, Path vectors, int randomSignatures, int authors,
                                 double zipfExponent, List<Integer> batchSizes, int repetitions, double budgetSeconds,
                                 double partSeconds, int threads, int callers, long seed, Path ptx,
                                 int threadsPerBlock, int streams, int maxRecordsPerLaunch, int keyCacheEntries,
                                 int tinyKeyCacheEntries, int cpuSingleSample, int cpuAllSample, double busSeconds,
                                 int latencySamples, List<Integer> senders, double clusterSeconds, int senderRequest,
                                 int senderInFlight, int workerInFlight, boolean smoke) {

    public static final List<String> PARTS = List.of("machine", "corpus", "differential", "throughput", "eventbus",
            "hybrid", "cluster", "report");

    public static final String USAGE = """
            usage: DeviceCheck PART [options]
              PART: machine       the GPU (or why CUDA is unavailable); exit 3 when CUDA cannot be used
                    corpus        signs the corpora (distinct keys; Zipf authors) and libsecp256k1's verdicts on them
                    differential  BIP-340 vectors and both corpora through the CUDA backend (key cache as configured,
                                  again with a tiny cache, and off) against libsecp256k1: every verdict must agree
                    throughput    kernel-only (cache on/off), the backend end to end (1 and N callers), libsecp256k1
                                  on 1 and all threads, per batch size and corpus; ratios to kernel-only
                    eventbus      the worker verticle on the local event bus, per request size and corpus
                    hybrid        the measured crossover; single-event round trips hybrid / GPU-only / CPU-only;
                                  high-load throughput hybrid / GPU-only
                    cluster       one worker process and 1, 2, 4 sender processes on a loopback Hazelcast cluster:
                                  verifies/s, CPU per verify of each side from /proc
                    report        the summary of every part's results found in --out
              --out DIR             results: PART.json (and the log, by the script) (default /tmp/device-check-out)
              --work DIR            corpus files shared by the parts (default /tmp/device-check-work)
              --vectors FILE        BIP-340 test-vector CSV (rows with 32-byte messages are used)
              --random N            signatures per corpus (default 1048576)
              --authors N           authors of the Zipf corpus (default 10000)
              --zipf-exponent S     s of the Zipf distribution (default 1.0)
              --sizes A,B,...       batch / request sizes (default 1,16,256,1024,16384,65536,1048576,4194304)
              --reps N              timed repetitions after a warm-up, median reported (default 5)
              --budget-seconds S    most time per measured row; larger sizes skipped beyond it (default 6)
              --part-seconds S      soft time limit of the part: rows not started by then are skipped (default 50)
              --threads N           CPU threads: generation, libsecp256k1, the CPU lane (default: all cores)
              --callers N           concurrent callers of the backend (default 4)
              --seed N              seed of the corpora (default 20261124)
              --ptx FILE            load this PTX instead of the bundled kernel
              --block N             threads per block (default 256)
              --streams N           CUDA streams / launches in flight (default 3)
              --launch-max N        most records per launch (default 262144)
              --key-cache N         key-cache entries (default 65536; 0 = off)
              --tiny-key-cache N    the tiny cache of the differential test, to force evictions (default 1024)
              --cpu-single N        signatures per 1-thread libsecp256k1 repetition (default 10000)
              --cpu-all N           signatures per all-threads libsecp256k1 repetition (default 200000)
              --bus-seconds S       seconds per event-bus repetition (default 0.3)
              --latency-samples N   single-event round trips per backend in the hybrid part (default 2000)
              --senders A,B,...     sender processes of the cluster part (default 1,2,4)
              --cluster-seconds S   seconds each cluster round is measured (default 6)
              --sender-request N    events per request of a sender, as a relay's verify-batch-size (default 1024)
              --sender-in-flight N  requests each sender keeps outstanding (default 16)
              --in-flight N         the worker's max-in-flight-batches in the eventbus, hybrid and cluster parts
                                    (default: the worker's default, 2)
              --smoke               small quick run: --random 3000 --authors 100 --sizes 1,16,256,1024 --reps 2
                                    --cpu-single 500 --cpu-all 4000 --bus-seconds 0.2 --latency-samples 200
                                    --cluster-seconds 2 --senders 1,2 --budget-seconds 2
            exit status: 0 done, 1 a verdict differs from libsecp256k1, 2 bad arguments, 3 CUDA unavailable
            (machine part), 5 the part failed
            """;

    public static DeviceCheckOptions parse(String[] args) {
        if (args.length == 0 || !PARTS.contains(args[0])) {
            throw new IllegalArgumentException(args.length == 0 ? "which part? one of " + PARTS
                    : "unknown part " + args[0] + "; one of " + PARTS);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Path out = Path.of("/tmp/device-check-out");
        Path work = Path.of("/tmp/device-check-work");
        Path vectors = null;
        int random = 1_048_576;
        int authors = 10_000;
        double exponent = 1.0;
        List<Integer> sizes = List.of(1, 16, 256, 1024, 16_384, 65_536, 1_048_576, 4_194_304);
        int reps = 5;
        double budget = 6;
        double partSeconds = 50;
        int threads = cores;
        int callers = 4;
        long seed = 20261124L;
        Path ptx = null;
        int block = 256;
        int streams = 3;
        int launchMax = 262_144;
        int keyCache = 65_536;
        int tinyCache = 1_024;
        int cpuSingle = 10_000;
        int cpuAll = 200_000;
        double busSeconds = 0.3;
        int latencySamples = 2_000;
        List<Integer> senders = List.of(1, 2, 4);
        double clusterSeconds = 6;
        int senderRequest = 1_024;
        int senderInFlight = 16;
        int workerInFlight = WorkerConfig.defaults().maxInFlightBatches();
        boolean smoke = false;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--smoke" -> {
                    smoke = true;
                    random = 3000;
                    authors = 100;
                    sizes = List.of(1, 16, 256, 1024);
                    reps = 2;
                    cpuSingle = 500;
                    cpuAll = 4000;
                    busSeconds = 0.2;
                    latencySamples = 200;
                    clusterSeconds = 2;
                    senders = List.of(1, 2);
                    budget = 2;
                }
                case "--out" -> out = Path.of(value(args, ++i, option));
                case "--work" -> work = Path.of(value(args, ++i, option));
                case "--vectors" -> vectors = Path.of(value(args, ++i, option));
                case "--random" -> random = positive(args, ++i, option);
                case "--authors" -> authors = positive(args, ++i, option);
                case "--zipf-exponent" -> exponent = decimal(args, ++i, option);
                case "--sizes" -> sizes = list(value(args, ++i, option), option);
                case "--reps" -> reps = positive(args, ++i, option);
                case "--budget-seconds" -> budget = decimal(args, ++i, option);
                case "--part-seconds" -> partSeconds = decimal(args, ++i, option);
                case "--threads" -> threads = positive(args, ++i, option);
                case "--callers" -> callers = positive(args, ++i, option);
                case "--seed" -> seed = Long.parseLong(value(args, ++i, option));
                case "--ptx" -> ptx = Path.of(value(args, ++i, option));
                case "--block" -> block = positive(args, ++i, option);
                case "--streams" -> streams = positive(args, ++i, option);
                case "--launch-max" -> launchMax = positive(args, ++i, option);
                case "--key-cache" -> keyCache = whole(args, ++i, option);
                case "--tiny-key-cache" -> tinyCache = positive(args, ++i, option);
                case "--cpu-single" -> cpuSingle = positive(args, ++i, option);
                case "--cpu-all" -> cpuAll = positive(args, ++i, option);
                case "--bus-seconds" -> busSeconds = decimal(args, ++i, option);
                case "--latency-samples" -> latencySamples = positive(args, ++i, option);
                case "--senders" -> senders = list(value(args, ++i, option), option);
                case "--cluster-seconds" -> clusterSeconds = decimal(args, ++i, option);
                case "--sender-request" -> senderRequest = positive(args, ++i, option);
                case "--sender-in-flight" -> senderInFlight = positive(args, ++i, option);
                case "--in-flight" -> workerInFlight = positive(args, ++i, option);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (authors < 2) {
            throw new IllegalArgumentException("--authors must be at least 2, got " + authors);
        }
        return new DeviceCheckOptions(args[0], out, work, vectors, random, authors, exponent, sizes, reps, budget,
                partSeconds, threads, callers, seed, ptx, block, streams, launchMax, keyCache, tinyCache, cpuSingle,
                cpuAll, busSeconds, latencySamples, senders, clusterSeconds, senderRequest, senderInFlight,
                workerInFlight, smoke);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int whole(String[] args, int index, String option) {
        String text = value(args, index, option);
        try {
            int value = Integer.parseInt(text.replace("_", ""));
            if (value < 0) {
                throw new IllegalArgumentException(option + " must be 0 or more, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got " + text, e);
        }
    }

    private static int positive(String[] args, int index, String option) {
        int value = whole(args, index, option);
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
        return value;
    }

    private static double decimal(String[] args, int index, String option) {
        String text = value(args, index, option);
        try {
            double value = Double.parseDouble(text);
            if (!(value > 0)) {
                throw new IllegalArgumentException(option + " must be more than 0, got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got " + text, e);
        }
    }

    private static List<Integer> list(String text, String option) {
        List<Integer> values = new ArrayList<>();
        for (String part : text.split(",")) {
            values.add(positive(new String[]{part.strip()}, 0, option));
        }
        return values.stream().sorted().distinct().toList();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "part=%s random=%d authors=%d s=%.2f sizes=%s reps=%d budget=%.1fs "
                        + "part=%.0fs threads=%d callers=%d seed=%d block=%d streams=%d launchMax=%d keyCache=%d "
                        + "tinyKeyCache=%d workerInFlight=%d%s", part, randomSignatures, authors, zipfExponent, batchSizes,
                repetitions, budgetSeconds, partSeconds, threads, callers, seed, threadsPerBlock, streams,
                maxRecordsPerLaunch, keyCacheEntries, tinyKeyCacheEntries, workerInFlight, smoke ? " smoke" : "");
    }
}
