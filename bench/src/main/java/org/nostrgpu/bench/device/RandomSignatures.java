package org.nostrgpu.bench.device;

import fr.acinq.secp256k1.Secp256k1;
import org.nostrgpu.common.verify.SignatureCheck;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Random BIP-340 signatures made with libsecp256k1, one fresh key per signature (no repeated authors, the
 * worst case for any key cache), spoilt per {@link SignatureCategory}. Signature {@code i} depends only on
 * the seed and {@code i}, so a corpus is the same whatever the thread count.
 */
public final class RandomSignatures {
    static final BigInteger FIELD_P =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
    static final BigInteger ORDER_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    private static final BigInteger TWO_TO_256 = BigInteger.ONE.shiftLeft(256);
    private static final BigInteger SEVEN = BigInteger.valueOf(7);
    private static final BigInteger EULER_EXPONENT = FIELD_P.subtract(BigInteger.ONE).shiftRight(1);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** A third of the corpus valid, the rest spread evenly over the ways to spoil a signature. */
    private static final SignatureCategory[] CYCLE = {
            SignatureCategory.VALID, SignatureCategory.WRONG_S, SignatureCategory.VALID, SignatureCategory.WRONG_R,
            SignatureCategory.VALID, SignatureCategory.WRONG_MESSAGE, SignatureCategory.VALID,
            SignatureCategory.WRONG_KEY, SignatureCategory.OFF_CURVE_KEY, SignatureCategory.KEY_AT_LEAST_P,
            SignatureCategory.R_AT_LEAST_P, SignatureCategory.S_AT_LEAST_N};

    public record Corpus(List<SignatureCheck> checks, List<SignatureCategory> categories) {
    }

    private final Secp256k1 secp = Secp256k1.get();
    private final long seed;

    public RandomSignatures(long seed) {
        this.seed = seed;
    }

    public static SignatureCategory categoryOf(int index) {
        return CYCLE[index % CYCLE.length];
    }

    /** Signatures {@code 0 .. count-1}, made on {@code threads} threads. */
    public Corpus generate(int count, int threads) {
        SignatureCheck[] checks = new SignatureCheck[count];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) count * t / threads);
                int to = (int) ((long) count * (t + 1) / threads);
                parts.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        checks[i] = make(i);
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating signatures", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("signature generation failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<SignatureCategory> categories = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            categories.add(categoryOf(i));
        }
        return new Corpus(Arrays.asList(checks), categories);
    }

    /** Signature number {@code index}, of category {@link #categoryOf(int)}. */
    public SignatureCheck make(int index) {
        SplittableRandom random = new SplittableRandom(seed + GOLDEN_GAMMA * (index + 1L));
        byte[] secret = secretKey(random);
        byte[] message = bytes(random, 32);
        byte[] signature = secp.signSchnorr(message, secret, bytes(random, 32));
        byte[] pubkey = xOnlyKey(secret);
        switch (categoryOf(index)) {
            case VALID -> { }
            case WRONG_S -> flipBit(random, signature, 32);
            case WRONG_R -> flipBit(random, signature, 0);
            case WRONG_MESSAGE -> flipBit(random, message, 0);
            case WRONG_KEY -> pubkey = xOnlyKey(secretKey(random));
            case OFF_CURVE_KEY -> put32(xNotOnCurve(random), pubkey, 0);
            case KEY_AT_LEAST_P -> put32(FIELD_P.add(belowFieldGap(random)), pubkey, 0);
            case R_AT_LEAST_P -> put32(FIELD_P.add(belowFieldGap(random)), signature, 0);
            case S_AT_LEAST_N -> {
                BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
                put32(ORDER_N.add(s.mod(TWO_TO_256.subtract(ORDER_N))), signature, 32);
            }
        }
        return new SignatureCheck(message, pubkey, signature);
    }

    /** An x below p for which x^3 + 7 is not a square mod p. */
    static BigInteger xNotOnCurve(SplittableRandom random) {
        while (true) {
            BigInteger x = new BigInteger(1, bytes(random, 32)).mod(FIELD_P);
            BigInteger y2 = x.pow(3).add(SEVEN).mod(FIELD_P);
            if (y2.modPow(EULER_EXPONENT, FIELD_P).equals(FIELD_P.subtract(BigInteger.ONE))) {
                return x;
            }
        }
    }

    /** Uniform in [0, 2^256 - p), so that p + it is a 256-bit value at least p. */
    private static BigInteger belowFieldGap(SplittableRandom random) {
        return BigInteger.valueOf(random.nextLong(TWO_TO_256.subtract(FIELD_P).longValueExact()));
    }

    private byte[] secretKey(SplittableRandom random) {
        byte[] key;
        do {
            key = bytes(random, 32);
        } while (!secp.secKeyVerify(key));
        return key;
    }

    private byte[] xOnlyKey(byte[] secret) {
        byte[] compressed = secp.pubKeyCompress(secp.pubkeyCreate(secret));
        return Arrays.copyOfRange(compressed, 1, 33);
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static void flipBit(SplittableRandom random, byte[] target, int offset) {
        int bit = random.nextInt(256);
        target[offset + bit / 8] ^= (byte) (1 << (bit % 8));
    }

    static void put32(BigInteger value, byte[] target, int offset) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a 256-bit unsigned value: " + value);
        }
        byte[] raw = value.toByteArray();
        int start = raw.length > 32 ? raw.length - 32 : 0;
        int length = raw.length - start;
        Arrays.fill(target, offset, offset + 32, (byte) 0);
        System.arraycopy(raw, start, target, offset + 32 - length, length);
    }
}
