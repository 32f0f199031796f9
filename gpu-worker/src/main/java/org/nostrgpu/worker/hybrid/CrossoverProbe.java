package org.nostrgpu.worker.hybrid;

import fr.acinq.secp256k1.Secp256k1;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Finds the batch size from which the GPU verifies a batch sooner than the CPU threads, by timing both backends on
 * this machine: batches of 1, 2, 4, ... valid signatures, the median of a few calls each, until the GPU has won at
 * two sizes in a row (or the largest size or the time budget is reached), then two bisection steps between the last
 * size the CPU won and the first the GPU won. The crossover is the smallest measured size from which the GPU wins
 * at every larger measured size, so one noisy sample cannot send large batches to the CPU.
 *
 * <p>Calls the verifiers directly (not through the worker's queue), so it can run again while the worker serves.
 */
public final class CrossoverProbe {
    private static final int DISTINCT_SIGNATURES = 64;
    private static final int REPETITIONS = 5;

    private final SignatureVerifier cpu;
    private final SignatureVerifier gpu;
    private final int largest;
    private final long budgetNanos;
    private final LongSupplier clock;
    private final byte[] corpus;

    /**
     * @param largest      largest batch size tried (at least 1)
     * @param budgetMillis time after which no further size is started
     * @param clock        nanosecond clock (System::nanoTime; tests give a fake one)
     */
    public CrossoverProbe(SignatureVerifier cpu, SignatureVerifier gpu, int largest, long budgetMillis,
                          LongSupplier clock) {
        if (largest < 1) {
            throw new IllegalArgumentException("largest probe size must be at least 1, got " + largest);
        }
        this.cpu = cpu;
        this.gpu = gpu;
        this.largest = largest;
        this.budgetNanos = budgetMillis * 1_000_000L;
        this.clock = clock;
        this.corpus = validRecords();
    }

    public Crossover measure() {
        long start = clock.getAsLong();
        TreeMap<Integer, Crossover.Point> points = new TreeMap<>();
        int streak = 0;
        for (int size = 1; size <= largest && streak < 2
                && (points.isEmpty() || clock.getAsLong() - start < budgetNanos); size *= 2) {
            Crossover.Point point = probe(size);
            points.put(size, point);
            streak = point.gpuWins() ? streak + 1 : 0;
            if (size > largest / 2) {
                break;
            }
        }
        int crossover = firstOfFinalStreak(points);
        if (crossover > 1 && points.containsKey(crossover)) {
            Integer below = points.lowerKey(crossover);
            for (int step = 0; step < 2 && below != null && crossover - below > 1
                    && clock.getAsLong() - start < budgetNanos; step++) {
                int middle = (below + crossover) / 2;
                Crossover.Point point = probe(middle);
                points.put(middle, point);
                if (point.gpuWins()) {
                    crossover = middle;
                } else {
                    below = middle;
                }
            }
        }
        List<Crossover.Point> measured = new ArrayList<>(points.values());
        String note;
        if (crossover == Integer.MAX_VALUE) {
            crossover = 2 * points.lastKey();
            note = String.format(Locale.ROOT, "the GPU was never faster up to %d signatures; batches from %d on go to"
                    + " it untested", points.lastKey(), crossover);
        } else {
            note = String.format(Locale.ROOT, "GPU faster from %d signatures on (%.0f us against %.0f us on the CPU)",
                    crossover, points.get(crossover).gpuMicros(), points.get(crossover).cpuMicros());
        }
        return new Crossover(crossover, measured, Instant.now(), note);
    }

    /** The smallest size from which the GPU won at every measured size, or MAX_VALUE when it did not win the last. */
    private static int firstOfFinalStreak(TreeMap<Integer, Crossover.Point> points) {
        int first = Integer.MAX_VALUE;
        for (var entry : points.descendingMap().entrySet()) {
            if (!entry.getValue().gpuWins()) {
                break;
            }
            first = entry.getKey();
        }
        return first;
    }

    private Crossover.Point probe(int size) {
        SignatureRecords batch = batchOf(size);
        return new Crossover.Point(size, medianMicros(cpu, batch), medianMicros(gpu, batch));
    }

    private double medianMicros(SignatureVerifier verifier, SignatureRecords batch) {
        check(verifier, verifier.verify(batch)); // warm-up, and a backend that cannot verify is not timed
        double[] samples = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long begin = clock.getAsLong();
            verifier.verify(batch);
            samples[r] = (clock.getAsLong() - begin) / 1_000.0;
        }
        Arrays.sort(samples);
        return samples[REPETITIONS / 2];
    }

    private static void check(SignatureVerifier verifier, byte[] verdicts) {
        for (byte verdict : verdicts) {
            if (verdict != Verdict.VALID_CODE) {
                throw new IllegalStateException(verifier.describe() + " did not verify the probe's valid signatures");
            }
        }
    }

    private SignatureRecords batchOf(int size) {
        byte[] packed = new byte[size * SignatureRecords.RECORD_BYTES];
        for (int filled = 0; filled < packed.length; filled += corpus.length) {
            System.arraycopy(corpus, 0, packed, filled, Math.min(corpus.length, packed.length - filled));
        }
        return SignatureRecords.view(ByteBuffer.wrap(packed));
    }

    /** Valid signatures by distinct keys, the same at every start (keys and nonces derived from fixed labels). */
    private static byte[] validRecords() {
        Secp256k1 secp = Secp256k1.get();
        List<SignatureCheck> checks = new ArrayList<>(DISTINCT_SIGNATURES);
        for (int i = 0; i < DISTINCT_SIGNATURES; i++) {
            byte[] secret = sha256("crossover probe key " + i);
            byte[] message = sha256("crossover probe message " + i);
            byte[] signature = secp.signSchnorr(message, secret, sha256("crossover probe nonce " + i));
            byte[] pubkey = Arrays.copyOfRange(secp.pubKeyCompress(secp.pubkeyCreate(secret)), 1, 33);
            checks.add(new SignatureCheck(message, pubkey, signature));
        }
        byte[] packed = new byte[DISTINCT_SIGNATURES * SignatureRecords.RECORD_BYTES];
        SignatureRecords.of(checks).copyTo(0, DISTINCT_SIGNATURES, ByteBuffer.wrap(packed), 0);
        return packed;
    }

    private static byte[] sha256(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
