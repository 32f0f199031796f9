package org.nostrgpu.bench.device;

import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaUnavailableException;
import org.nostrgpu.worker.cuda.KnownAnswers;
import org.nostrgpu.worker.cuda.StageTimings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput per batch size and corpus: the kernel alone (CUDA events around one launch, records already on the
 * device, key cache on and off), the CUDA backend end to end ({@code CudaSchnorrVerifier.verify}: records from the
 * heap copied into pinned memory, uploaded, verified, verdict bytes back into the caller's array; one caller and
 * several), with where the pipeline's time went, and libsecp256k1 on one and on all threads. The ratio end to end /
 * kernel-only is what the Java side keeps of the kernel's speed.
 */
final class ThroughputPart {

    static int run(DeviceCheckOptions options, PartResults results) throws Exception {
        List<DeviceCorpus> corpora = DeviceCorpus.load(options, results);
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Double> kernelOnly = new LinkedHashMap<>();
        if (results.machine().hasGpu()) {
            kernelOnly(options, results, corpora, rows, kernelOnly);
            endToEnd(options, results, corpora, rows, kernelOnly);
        } else {
            results.log("CUDA unavailable (" + results.machine().noGpu() + "): only libsecp256k1 is measured");
        }
        cpu(options, results, corpora.get(1), rows);
        results.put("rows", rows);
        return 0;
    }

    static String key(String corpus, int batch) {
        return corpus + "@" + batch;
    }

    private static void kernelOnly(DeviceCheckOptions options, PartResults results, List<DeviceCorpus> corpora,
                                   List<Map<String, Object>> rows, Map<String, Double> kernelOnly) throws Exception {
        CudaOptions cuda = DeviceCheck.cudaOptions(options);
        int largest = options.batchSizes().get(options.batchSizes().size() - 1);
        PartResults.Table table = results.table("Kernel only (CUDA events around one launch, records on the device)",
                "corpus", "batch", "key cache", "median ms", "verifies/s", "reps × calls", "mismatches");
        for (DeviceCorpus corpus : corpora) {
            try (KernelTimer timer = KernelTimer.open(cuda, corpus.records(), largest)) {
                results.log("kernel " + timer.attributes() + ", key cache " + timer.keyCache());
                results.put("kernel", timer.attributes());
                sizes:
                for (int size : options.batchSizes()) {
                    for (boolean cached : new boolean[]{true, false}) {
                        if (results.outOfTime()) {
                            results.log("out of time: kernel-only stops before " + corpus.name() + " " + size);
                            break sizes;
                        }
                        Timings.Sample sample = Timings.measure(() -> timer.launchMillis(size, cached) / 1000.0,
                                options.repetitions(), options.budgetSeconds());
                        long wrong = corpus.mismatches(timer.verdictCodes(size), size);
                        results.mismatches(wrong);
                        double rate = sample.perSecond(size);
                        if (cached) {
                            kernelOnly.put(key(corpus.name(), size), rate);
                        }
                        table.row(corpus.name(), size, cached ? timer.keyCache() : "off",
                                PartResults.f("%.3f", sample.medianSeconds() * 1000), PartResults.rate(rate),
                                sample.repetitions() + " × " + sample.callsPerRepetition(), wrong);
                        rows.add(row("kernel-only", corpus.name(), size, cached ? "on" : "off", 1, sample, rate, wrong));
                        if (sample.overran(options.budgetSeconds())) {
                            break sizes;
                        }
                    }
                }
            } catch (CudaUnavailableException e) {
                results.log("kernel-only: the kernel cannot be opened: " + e.getMessage());
            }
        }
        table.print();
    }

    private static void endToEnd(DeviceCheckOptions options, PartResults results, List<DeviceCorpus> corpora,
                                 List<Map<String, Object>> rows, Map<String, Double> kernelOnly) throws Exception {
        PartResults.Table table = results.table("CUDA backend end to end (CudaSchnorrVerifier.verify: heap records in,"
                        + " verdict bytes out; stage times per call, CUDA events)", "corpus", "batch", "callers",
                "median ms", "verifies/s", "÷ kernel-only", "kernel busy", "upload ms", "kernel ms", "download ms",
                "staging ms", "verdicts ms", "mismatches");
        try (CudaSchnorrVerifier verifier = CudaSchnorrVerifier.open(DeviceCheck.cudaOptions(options))) {
            KnownAnswers.failures(verifier).ifPresent(f -> results.log("the backend FAILS its self-test: " + f));
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.callers()));
            try {
                for (int callers : new int[]{1, options.callers()}) {
                    corpora:
                    for (DeviceCorpus corpus : corpora) {
                        for (int size : options.batchSizes()) {
                            if (results.outOfTime()) {
                                results.log("out of time: end-to-end stops before " + corpus.name() + " " + size);
                                break corpora;
                            }
                            List<byte[]> verdicts = new ArrayList<>();
                            List<Callable<Void>> calls = new ArrayList<>();
                            for (int c = 0; c < callers; c++) {
                                byte[] codes = new byte[size];
                                SignatureBatch batch = corpus.batch(size, codes);
                                verdicts.add(codes);
                                calls.add(() -> {
                                    verifier.verify(batch);
                                    return null;
                                });
                            }
                            StageTimings.Snapshot before = verifier.stageTimings();
                            long windowStart = System.nanoTime();
                            Timings.Sample sample = Timings.measure(() -> {
                                verdicts.forEach(codes -> Arrays.fill(codes, (byte) 0));
                                long start = System.nanoTime();
                                if (callers == 1) {
                                    calls.get(0).call();
                                } else {
                                    for (Future<Void> done : pool.invokeAll(calls)) {
                                        done.get();
                                    }
                                }
                                return Timings.since(start);
                            }, options.repetitions(), options.budgetSeconds());
                            double window = Timings.since(windowStart);
                            StageTimings.Snapshot spent = verifier.stageTimings().minus(before);
                            long wrong = 0;
                            for (byte[] codes : verdicts) {
                                wrong += corpus.mismatches(codes, size);
                            }
                            results.mismatches(wrong);
                            long work = (long) size * callers;
                            double rate = sample.perSecond(work);
                            Double kernel = kernelOnly.get(key(corpus.name(), size));
                            double callsMade = 1 + (double) sample.repetitions() * sample.callsPerRepetition();
                            table.row(corpus.name(), size, callers, PartResults.f("%.3f", sample.medianSeconds() * 1000),
                                    PartResults.rate(rate), kernel == null ? "–" : PartResults.ratio(rate, kernel),
                                    PartResults.f("%.0f %%", 100.0 * spent.kernelNanos() / (window * 1e9)),
                                    perCall(spent.uploadNanos(), callsMade), perCall(spent.kernelNanos(), callsMade),
                                    perCall(spent.downloadNanos(), callsMade), perCall(spent.stageNanos(), callsMade),
                                    perCall(spent.verdictNanos(), callsMade), wrong);
                            Map<String, Object> row = row("end-to-end", corpus.name(), size, "on", callers, sample,
                                    rate, wrong);
                            row.put("ratioToKernelOnly", kernel == null ? null : rate / kernel);
                            row.put("stages", spent);
                            row.put("windowSeconds", window);
                            rows.add(row);
                            if (sample.overran(options.budgetSeconds())) {
                                break;
                            }
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        } catch (CudaUnavailableException e) {
            results.log("end-to-end: the backend cannot be opened: " + e.getMessage());
        }
        table.print();
    }

    private static void cpu(DeviceCheckOptions options, PartResults results, DeviceCorpus corpus,
                            List<Map<String, Object>> rows) throws Exception {
        PartResults.Table table = results.table("libsecp256k1 on the CPU (CpuSchnorrVerifier, " + corpus.name() + ")",
                "threads", "batch", "median ms", "verifies/s", "reps");
        int[] threadCounts = options.threads() == 1 ? new int[]{1} : new int[]{1, options.threads()};
        for (int threads : threadCounts) {
            int size = Math.min(corpus.size(), threads == 1 ? options.cpuSingleSample() : options.cpuAllSample());
            byte[] codes = new byte[size];
            SignatureBatch batch = corpus.batch(size, codes);
            try (SignatureVerifier cpu = new CpuSchnorrVerifier(threads)) {
                Timings.Sample sample = Timings.measure(() -> {
                    long start = System.nanoTime();
                    cpu.verify(batch);
                    return Timings.since(start);
                }, options.repetitions(), options.budgetSeconds());
                long wrong = corpus.mismatches(codes, size);
                results.mismatches(wrong);
                double rate = sample.perSecond(size);
                table.row(threads, size, PartResults.f("%.1f", sample.medianSeconds() * 1000), PartResults.rate(rate),
                        sample.repetitions());
                rows.add(row("cpu", corpus.name(), size, "-", threads, sample, rate, wrong));
            }
        }
        table.print();
    }

    private static String perCall(long nanos, double calls) {
        return PartResults.f("%.3f", nanos / 1e6 / calls);
    }

    private static Map<String, Object> row(String path, String corpus, int batch, String cache, int callers,
                                           Timings.Sample sample, double rate, long mismatches) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("path", path);
        row.put("corpus", corpus);
        row.put("batch", batch);
        row.put("keyCache", cache);
        row.put(path.equals("cpu") ? "threads" : "callers", callers);
        row.put("medianSeconds", sample.medianSeconds());
        row.put("repetitions", sample.repetitions());
        row.put("verifiesPerSecond", rate);
        row.put("mismatches", mismatches);
        return row;
    }

    private ThroughputPart() {
    }
}
