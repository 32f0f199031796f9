package org.nostrgpu.bench.verify;

import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;
import com.sun.management.OperatingSystemMXBean;
import fr.acinq.secp256k1.Secp256k1;

import java.lang.management.ManagementFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Measures how many BIP-340 signatures per second {@link CpuSchnorrVerifier} checks: signs a corpus of distinct
 * signatures, warms up, then runs timed repetitions and reports each and the median. Every verdict is checked
 * to be valid, so a verifier that skips work cannot look fast. Besides wall-clock verifies/s it reports verifies
 * per second of process CPU time, the per-core cost, which stays meaningful on a machine busy with other work.
 *
 * <pre>java -cp ... org.nostrgpu.bench.verify.VerifierThroughput THREADS BATCH_SIZE SECONDS [REPETITIONS] [CORPUS]</pre>
 */
public final class VerifierThroughput {
    private static final int DEFAULT_REPETITIONS = 5;
    private static final int MIN_CORPUS = 4_096;

    /**
     * @param perRepetition       verifies per wall-clock second of each timed repetition
     * @param perCpuSecond        verifies per second of process CPU time of each repetition
     */
    public record Result(String verifier, int batchSize, int corpusSize, double[] perRepetition,
                         double[] perCpuSecond) {
        public double median() {
            return medianOf(perRepetition);
        }

        public double medianPerCpuSecond() {
            return medianOf(perCpuSecond);
        }
    }

    private record Rates(double perWallSecond, double perCpuSecond) {
    }

    private VerifierThroughput() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: VerifierThroughput THREADS BATCH_SIZE SECONDS_PER_REPETITION [REPETITIONS="
                    + DEFAULT_REPETITIONS + "] [CORPUS=max(" + MIN_CORPUS + ", BATCH_SIZE)]");
            System.exit(2);
        }
        int threads = positive(args[0], "THREADS");
        int batchSize = positive(args[1], "BATCH_SIZE");
        double seconds = positive(args[2], "SECONDS");
        int repetitions = args.length > 3 ? positive(args[3], "REPETITIONS") : DEFAULT_REPETITIONS;
        int corpus = args.length > 4 ? positive(args[4], "CORPUS") : Math.max(MIN_CORPUS, batchSize);

        System.out.printf(Locale.ROOT, "java %s, %d available processors%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            Result result = measure(verifier, batchSize, corpus, seconds, repetitions);
            for (int i = 0; i < result.perRepetition().length; i++) {
                System.out.printf(Locale.ROOT, "repetition %d: %,.0f verifies/s, %,.0f verifies per CPU-second%n",
                        i + 1, result.perRepetition()[i], result.perCpuSecond()[i]);
            }
            System.out.printf(Locale.ROOT, "%s batch=%d corpus=%d: median %,.0f verifies/s; median %,.0f verifies"
                            + " per CPU-second (one core's worth)%n", result.verifier(), batchSize,
                    result.corpusSize(), result.median(), result.medianPerCpuSecond());
        }
    }

    public static Result measure(SignatureVerifier verifier, int batchSize, int corpusSize, double seconds,
                                 int repetitions) {
        return measure(verifier, signedCorpus(corpusSize), batchSize, seconds, repetitions);
    }

    /** Like {@link #measure(SignatureVerifier, int, int, double, int)} on a corpus signed beforehand. */
    public static Result measure(SignatureVerifier verifier, List<SignatureCheck> corpus, int batchSize,
                                 double seconds, int repetitions) {
        int corpusSize = corpus.size();
        List<List<SignatureCheck>> batches = batches(corpus, batchSize);
        runFor(verifier, batches, Math.min(seconds, 3.0)); // JIT and native library warm-up, not reported
        double[] wall = new double[repetitions];
        double[] cpu = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            Rates rates = runFor(verifier, batches, seconds);
            wall[r] = rates.perWallSecond();
            cpu[r] = rates.perCpuSecond();
        }
        return new Result(verifier.describe(), batchSize, corpusSize, wall, cpu);
    }

    /** Verifies batches round-robin for the given time. */
    private static Rates runFor(SignatureVerifier verifier, List<List<SignatureCheck>> batches, double seconds) {
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        long cpuStart = os.getProcessCpuTime();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long verified = 0;
        int next = 0;
        long now;
        do {
            List<SignatureCheck> batch = batches.get(next);
            next = (next + 1) % batches.size();
            List<Verdict> verdicts = verifier.verifyChecks(batch);
            for (Verdict verdict : verdicts) {
                if (verdict != Verdict.VALID) {
                    throw new IllegalStateException("a corpus signature was judged " + verdict);
                }
            }
            verified += verdicts.size();
            now = System.nanoTime();
        } while (now < deadline);
        long cpuNanos = os.getProcessCpuTime() - cpuStart;
        return new Rates(verified / ((now - start) / 1e9), verified / (cpuNanos / 1e9));
    }

    private static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Distinct keys, messages and signatures, so no cache in the verifier can help; signed on all cores. */
    public static List<SignatureCheck> signedCorpus(int size) {
        Secp256k1 secp = Secp256k1.get();
        long seed = new SecureRandom().nextLong();
        return IntStream.range(0, size).parallel().mapToObj(i -> {
            SplittableRandom random = new SplittableRandom(seed + i * 0x9E3779B97F4A7C15L);
            byte[] secret = new byte[32];
            do {
                random.nextBytes(secret);
            } while (!secp.secKeyVerify(secret));
            byte[] message = new byte[32];
            random.nextBytes(message);
            byte[] aux = new byte[32];
            random.nextBytes(aux);
            byte[] pubkey = Arrays.copyOfRange(secp.pubKeyCompress(secp.pubkeyCreate(secret)), 1, 33);
            return new SignatureCheck(message, pubkey, secp.signSchnorr(message, secret, aux));
        }).toList();
    }

    /** Cuts the corpus into whole batches, wrapping around so every batch is full. */
    private static List<List<SignatureCheck>> batches(List<SignatureCheck> corpus, int batchSize) {
        int count = (corpus.size() + batchSize - 1) / batchSize;
        List<List<SignatureCheck>> batches = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            List<SignatureCheck> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(corpus.get((b * batchSize + i) % corpus.size()));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static int positive(String text, String name) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println(name + " must be a positive whole number, got " + text);
        System.exit(2);
        return 0;
    }
}
