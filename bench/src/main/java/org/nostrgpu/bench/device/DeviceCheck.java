package org.nostrgpu.bench.device;

import org.nostrgpu.worker.BackendChoice;
import org.nostrgpu.worker.BackendSelection;
import org.nostrgpu.worker.VerifierBackends;
import org.nostrgpu.worker.cuda.CudaDeviceInfo;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaUnavailableException;
import org.nostrgpu.worker.cuda.KernelAttributes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.common.verify.Bip340VectorFile;
import org.nostrgpu.bench.device.DeviceCheckOptions;
import org.nostrgpu.bench.device.DifferentialTally;
import org.nostrgpu.bench.device.RandomSignatures;
import org.nostrgpu.bench.device.Replicated;
import org.nostrgpu.bench.device.ThroughputRow;
import org.nostrgpu.bench.device.Timings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one-run check of the CUDA backend on a machine with a GPU: selects the backend, runs the BIP-340
 * vectors and a large random corpus through it and through libsecp256k1 requiring identical verdicts, then
 * measures kernel-only, end-to-end and CPU throughput. Prints markdown, optionally writes JSON. Without a
 * GPU it says why, and still runs the CPU parts. See {@link DeviceCheckOptions#USAGE}.
 */
public final class DeviceCheck {
    private static final double MIN_SAMPLE_SECONDS = 0.02;
    private final DeviceCheckOptions options;
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<ThroughputRow> rows = new ArrayList<>();
    private final List<SignatureCheck> corpus = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private List<Verdict> reference;
    private long mismatches;

    private DeviceCheck(DeviceCheckOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        DeviceCheckOptions options;
        try {
            options = DeviceCheckOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(DeviceCheckOptions.USAGE);
            System.exit(2);
            return;
        }
        int status;
        try {
            status = new DeviceCheck(options).run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private int run() throws Exception {
        log("options: " + options);
        describeMachine();
        CudaOptions cudaOptions = new CudaOptions(0, options.threadsPerBlock(), options.streams(),
                options.maxRecordsPerLaunch(), Math.min(CudaOptions.DEFAULT_INITIAL_RECORDS, options.maxRecordsPerLaunch()),
                options.ptx(), CudaOptions.defaults().keyCacheEntries(), true);
        long selectStart = System.nanoTime();
        BackendSelection selection = VerifierBackends.select(BackendChoice.AUTO, options.threads(), cudaOptions);
        log("backend: " + selection.summary() + " (selected in " + seconds(selectStart) + " s)");
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("selected", selection.verifier().describe());
        backend.put("reason", selection.reason());
        backend.put("usesCuda", selection.usesCuda());
        if (selection.usesCuda()) {
            CudaDeviceInfo device = selection.cudaDevice();
            log("GPU: " + device.name() + ", compute capability " + device.computeMajor() + "." + device.computeMinor()
                    + " (" + device.architecture() + "), driver " + device.driverVersionText() + " ("
                    + device.driverVersion() + "), " + device.multiprocessors() + " SMs, "
                    + (device.totalMemoryBytes() >> 20) + " MiB");
            backend.put("device", device);
        }
        json.put("backend", backend);

        SignatureVerifier checked = selection.verifier();
        boolean onGpu = selection.usesCuda();
        if (!onGpu && selection.reason().startsWith("self-test failed")) {
            // the diagnosis is what the run is for: check the kernel anyway, its mismatches fail the run
            log("the CUDA backend failed its self-test; checking it anyway to show what differs");
            checked.close();
            checked = CudaSchnorrVerifier.open(cudaOptions);
            onGpu = true;
            backend.put("checkedDespiteSelfTest", checked.describe());
        }
        try (SignatureVerifier verifier = checked) {
            buildCorpus();
            computeReference();
            differential(verifier);
            if (onGpu) {
                kernelOnly(cudaOptions);
            }
            endToEnd(verifier);
            endToEndConcurrent(verifier);
        }
        cpuBaselines();
        printTable();
        json.put("throughput", rows.stream().map(DeviceCheck::rowJson).toList());
        json.put("mismatches", mismatches);
        json.put("seconds", seconds(startNanos));
        writeJson();

        if (mismatches > 0) {
            log("FAILED: " + mismatches + " verdicts differ from libsecp256k1");
            return 1;
        }
        if (options.requireCuda() && !selection.usesCuda()) {
            log("FAILED: CUDA required but not selected: " + selection.reason());
            return 3;
        }
        log("OK: every verdict agrees with libsecp256k1 (" + seconds(startNanos) + " s in all)");
        return 0;
    }

    private void describeMachine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("java", Runtime.version().toString());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        machine.put("threads", options.threads());
        json.put("machine", machine);
        json.put("options", options.toString());
        log("machine: " + machine);
    }

    private void buildCorpus() throws IOException {
        if (options.vectors() != null) {
            try (Reader reader = Files.newBufferedReader(options.vectors(), StandardCharsets.UTF_8)) {
                for (Bip340VectorFile.Vector vector : Bip340VectorFile.read(reader)) {
                    corpus.add(vector.check());
                    groups.add(vector.expectedValid() ? "bip340 vectors (valid)" : "bip340 vectors (invalid)");
                }
            }
            log("BIP-340 vectors: " + corpus.size() + " rows with 32-byte messages from " + options.vectors());
        } else {
            log("no --vectors file given: the BIP-340 vectors are skipped");
        }
        long start = System.nanoTime();
        RandomSignatures.Corpus random = new RandomSignatures(options.seed())
                .generate(options.randomSignatures(), options.threads());
        corpus.addAll(random.checks());
        random.categories().forEach(category -> groups.add(category.name().toLowerCase(Locale.ROOT)));
        log("generated " + options.randomSignatures() + " random signatures on " + options.threads() + " threads in "
                + seconds(start) + " s");
    }

    private void computeReference() {
        long start = System.nanoTime();
        try (CpuSchnorrVerifier libsecp256k1 = new CpuSchnorrVerifier(options.threads())) {
            reference = libsecp256k1.verifyChecks(corpus);
        }
        double took = Math.max(elapsed(start), 1e-6);
        log("libsecp256k1 reference verdicts for " + corpus.size() + " checks in " + took + " s ("
                + Math.round(corpus.size() / took) + " verifies/s on " + options.threads() + " threads)");
        long undecided = reference.stream().filter(v -> v == Verdict.NOT_VERIFIED).count();
        if (undecided > 0) {
            throw new IllegalStateException("libsecp256k1 left " + undecided + " checks undecided");
        }
    }

    private void differential(SignatureVerifier verifier) {
        long start = System.nanoTime();
        List<Verdict> verdicts = verifier.verifyChecks(corpus);
        double took = seconds(start);
        DifferentialTally tally = new DifferentialTally();
        for (int i = 0; i < corpus.size(); i++) {
            tally.add(i, groups.get(i), reference.get(i), verdicts.get(i));
        }
        mismatches += tally.mismatches();
        log("differential test: " + verifier.describe() + " verified " + corpus.size() + " checks in one call in "
                + took + " s; " + tally.mismatches() + " verdicts differ from libsecp256k1");
        System.out.println();
        System.out.println("| group | checks | valid (libsecp256k1) | valid (" + verifier.describe()
                + ") | not verified | mismatches |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        Map<String, Object> groupJson = new LinkedHashMap<>();
        tally.groups().forEach((group, counts) -> {
            System.out.printf("| %s | %d | %d | %d | %d | %d |%n", group, counts.total(), counts.referenceValid(),
                    counts.backendValid(), counts.backendNotVerified(), counts.mismatches());
            groupJson.put(group, Map.of("checks", counts.total(), "referenceValid", counts.referenceValid(),
                    "backendValid", counts.backendValid(), "backendNotVerified", counts.backendNotVerified(),
                    "mismatches", counts.mismatches()));
        });
        System.out.println();
        List<Map<String, Object>> examples = new ArrayList<>();
        for (DifferentialTally.Mismatch mismatch : tally.firstMismatches()) {
            SignatureCheck check = corpus.get(mismatch.index());
            String line = "MISMATCH #" + mismatch.index() + " " + mismatch.group() + ": libsecp256k1 "
                    + mismatch.reference() + ", backend " + mismatch.backend() + "; message "
                    + Hex.encode(check.message()) + " pubkey " + Hex.encode(check.pubkey()) + " signature "
                    + Hex.encode(check.signature());
            System.out.println(line);
            examples.add(Map.of("index", mismatch.index(), "group", mismatch.group(),
                    "reference", mismatch.reference().name(), "backend", mismatch.backend().name(),
                    "message", Hex.encode(check.message()), "pubkey", Hex.encode(check.pubkey()),
                    "signature", Hex.encode(check.signature())));
        }
        Map<String, Object> differential = new LinkedHashMap<>();
        differential.put("backend", verifier.describe());
        differential.put("checks", corpus.size());
        differential.put("seconds", took);
        differential.put("mismatches", tally.mismatches());
        differential.put("groups", groupJson);
        differential.put("firstMismatches", examples);
        json.put("differential", differential);
    }

    private void kernelOnly(CudaOptions cudaOptions) {
        int largest = options.batchSizes().get(options.batchSizes().size() - 1);
        long start = System.nanoTime();
        try (KernelTimer timer = KernelTimer.open(cudaOptions, new Replicated<>(corpus, largest))) {
            KernelAttributes attributes = timer.attributes();
            log("kernel: " + attributes);
            json.put("kernel", attributes);
            log("kernel-only: uploaded " + largest + " records in " + seconds(start) + " s");
            for (int size : options.batchSizes()) {
                ThroughputRow row = measure("kernel-only", size, size, () -> timer.launchMillis(size) / 1000.0,
                        () -> countMismatches(timer.verdictCodes(size)));
                if (row == null) {
                    break;
                }
            }
            int sweepSize = Math.min(largest, 1_048_576);
            for (int blockSize : options.blockSweep()) {
                if (blockSize > attributes.maxThreadsPerBlock() || blockSize % 32 != 0) {
                    log("kernel-only, block " + blockSize + ": skipped, the kernel allows at most "
                            + attributes.maxThreadsPerBlock() + " threads per block");
                    continue;
                }
                measure("kernel-only, block " + blockSize, sweepSize, sweepSize,
                        () -> timer.launchMillis(sweepSize, blockSize) / 1000.0,
                        () -> countMismatches(timer.verdictCodes(sweepSize)));
            }
        } catch (CudaUnavailableException | RuntimeException e) {
            log("kernel-only measurement failed: " + e);
            json.put("kernelOnlyError", e.toString());
            mismatches++;
        }
    }

    private void endToEnd(SignatureVerifier verifier) {
        for (int size : options.batchSizes()) {
            List<SignatureCheck> batch = new Replicated<>(corpus, size);
            List<List<Verdict>> last = new ArrayList<>(List.of(List.of()));
            ThroughputRow row = measure("end-to-end", size, size, () -> {
                long start = System.nanoTime();
                last.set(0, verifier.verifyChecks(batch));
                return elapsed(start);
            }, () -> countMismatches(last.get(0)));
            last.clear();
            if (row == null) {
                break;
            }
        }
    }

    private void endToEndConcurrent(SignatureVerifier verifier) throws Exception {
        int callers = options.callers();
        if (callers < 2) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int size : options.batchSizes()) {
                if (size > 1_048_576) {
                    break;
                }
                List<SignatureCheck> batch = new Replicated<>(corpus, size);
                List<Callable<List<Verdict>>> calls = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    calls.add(() -> verifier.verifyChecks(batch));
                }
                List<List<Verdict>> last = new ArrayList<>();
                ThroughputRow row = measure("end-to-end, " + callers + " callers", size, (long) size * callers, () -> {
                    long start = System.nanoTime();
                    List<Future<List<Verdict>>> results = pool.invokeAll(calls);
                    last.clear();
                    for (Future<List<Verdict>> result : results) {
                        last.add(result.get());
                    }
                    return elapsed(start);
                }, () -> last.stream().mapToLong(this::countMismatches).sum());
                if (row == null) {
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void cpuBaselines() throws Exception {
        for (int threads : new int[]{1, options.threads()}) {
            int sample = threads == 1 ? options.cpuSingleSample() : options.cpuAllSample();
            List<SignatureCheck> batch = new Replicated<>(corpus, sample);
            List<List<Verdict>> last = new ArrayList<>(List.of(List.of()));
            try (CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(threads)) {
                measure("cpu libsecp256k1, " + threads + (threads == 1 ? " thread" : " threads"), sample, sample, () -> {
                    long start = System.nanoTime();
                    last.set(0, cpu.verifyChecks(batch));
                    return elapsed(start);
                }, () -> countMismatches(last.get(0)));
            }
            if (options.threads() == 1) {
                break;
            }
        }
    }

    /**
     * One warm-up, then up to {@code reps} timed repetitions within the budget, each the mean of enough calls
     * to last {@link #MIN_SAMPLE_SECONDS} (so sub-millisecond calls are not timer noise); checks the last
     * call's verdicts. Returns null when even the warm-up overran the budget, so larger sizes are not tried.
     */
    private ThroughputRow measure(String path, int batch, long signatures, Callable<Double> once,
                                  Callable<Long> mismatchesOfLast) {
        try {
            double warmup = once.call();
            int callsPerSample = (int) Math.min(1000, Math.max(1, Math.ceil(MIN_SAMPLE_SECONDS / warmup)));
            int reps = Timings.repetitionsWithin(warmup * callsPerSample, options.repetitions(),
                    options.budgetSeconds());
            double[] samples = new double[reps];
            for (int r = 0; r < reps; r++) {
                double total = 0;
                for (int c = 0; c < callsPerSample; c++) {
                    total += once.call();
                }
                samples[r] = total / callsPerSample;
            }
            long wrong = mismatchesOfLast.call();
            mismatches += wrong;
            ThroughputRow row = new ThroughputRow(path, batch, reps, Timings.median(samples), signatures, wrong);
            rows.add(row);
            log(String.format(Locale.ROOT, "%s, batch %d: %.3f ms median of %d, %,.0f verifies/s, %d mismatches",
                    path, batch, row.medianSeconds() * 1000, reps, row.verifiesPerSecond(), wrong));
            return warmup > options.budgetSeconds() ? null : row;
        } catch (Exception e) {
            log(path + ", batch " + batch + " failed: " + e);
            mismatches++;
            return null;
        }
    }

    private long countMismatches(List<Verdict> verdicts) {
        long wrong = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            if (verdicts.get(i) != reference.get(i % reference.size())) {
                wrong++;
            }
        }
        return wrong;
    }

    private long countMismatches(byte[] codes) {
        long wrong = 0;
        for (int i = 0; i < codes.length; i++) {
            if (Verdict.ofCode(codes[i]) != reference.get(i % reference.size())) {
                wrong++;
            }
        }
        return wrong;
    }

    private void printTable() {
        System.out.println();
        System.out.println("| path | batch | reps | median ms | verifies/s | mismatches |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (ThroughputRow row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %,.0f | %d |%n", row.path(), row.batch(),
                    row.repetitions(), row.medianSeconds() * 1000, row.verifiesPerSecond(), row.mismatches());
        }
        System.out.println();
    }

    private static Map<String, Object> rowJson(ThroughputRow row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", row.path());
        out.put("batch", row.batch());
        out.put("repetitions", row.repetitions());
        out.put("medianSeconds", row.medianSeconds());
        out.put("signaturesPerRepetition", row.signatures());
        out.put("verifiesPerSecond", row.verifiesPerSecond());
        out.put("mismatches", row.mismatches());
        return out;
    }

    private void writeJson() throws IOException {
        if (options.json() == null) {
            return;
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.json().toFile(), json);
        log("wrote " + options.json());
    }

    private void log(String message) {
        System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", seconds(startNanos), message);
        System.out.flush();
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1000.0;
    }
}
