package org.nostrgpu.bench.device;

import fr.acinq.secp256k1.Secp256k1;
import org.nostrgpu.bench.Zipf;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Random BIP-340 signatures made with libsecp256k1, spoilt per {@link SignatureCategory}, written straight into
 * packed {@link SignatureRecords}. Who signs:
 * <ul>
 *   <li>{@link #RandomSignatures(long) distinct keys}: one fresh key per signature, no repeated authors, the worst
 *       case for a key cache;</li>
 *   <li>{@link #zipfAuthors Zipf authors}: N authors whose keys are made once, author of rank k (from 1) signing with
 *       probability proportional to 1 / k^s, as on a Nostr relay where a few authors write much of the traffic.</li>
 * </ul>
 * Signature {@code i} depends only on the seed, the authors and {@code i}, so a corpus is the same whatever the
 * thread count.
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
    private static final long AUTHOR_SALT = 0x5DEECE66DL;

    /** A third of the corpus valid, the rest spread evenly over the ways to spoil a signature. */
    private static final SignatureCategory[] CYCLE = {
            SignatureCategory.VALID, SignatureCategory.WRONG_S, SignatureCategory.VALID, SignatureCategory.WRONG_R,
            SignatureCategory.VALID, SignatureCategory.WRONG_MESSAGE, SignatureCategory.VALID,
            SignatureCategory.WRONG_KEY, SignatureCategory.OFF_CURVE_KEY, SignatureCategory.KEY_AT_LEAST_P,
            SignatureCategory.R_AT_LEAST_P, SignatureCategory.S_AT_LEAST_N};

    /**
     * A generated corpus: {@code packed} holds the records back to back.
     *
     * @param name e.g. "distinct keys" or "zipf 10000 authors s=1.0"
     */
    public record Corpus(String name, byte[] packed, SignatureCategory[] categories) {
        public int size() {
            return categories.length;
        }

        /** The records, viewed in place. */
        public SignatureRecords records() {
            return SignatureRecords.view(ByteBuffer.wrap(packed));
        }
    }

    /** Authors whose keys are made once; who signs signature i is drawn from a Zipf distribution over them. */
    private record Authors(byte[][] secrets, byte[][] pubkeys, Zipf ranks, double exponent) {
        int draw(SplittableRandom random) {
            return ranks.draw(random);
        }
    }

    private final Secp256k1 secp = Secp256k1.get();
    private final long seed;
    private final Authors authors;

    /** One fresh key per signature. */
    public RandomSignatures(long seed) {
        this(seed, null);
    }

    private RandomSignatures(long seed, Authors authors) {
        this.seed = seed;
        this.authors = authors;
    }

    /**
     * Signatures by {@code count} authors of Zipf-distributed activity: the author of rank k (from 1) signs with
     * probability proportional to {@code 1 / k^exponent}. Their keys are made now, in parallel.
     */
    public static RandomSignatures zipfAuthors(long seed, int count, double exponent) {
        if (count < 2) {
            throw new IllegalArgumentException("needs at least 2 authors, got " + count);
        }
        Secp256k1 secp = Secp256k1.get();
        byte[][] secrets = new byte[count][];
        byte[][] pubkeys = new byte[count][];
        IntStream.range(0, count).parallel().forEach(a -> {
            secrets[a] = secretKey(secp, new SplittableRandom(seed ^ (AUTHOR_SALT + GOLDEN_GAMMA * (a + 1L))));
            pubkeys[a] = xOnlyKey(secp, secrets[a]);
        });
        return new RandomSignatures(seed, new Authors(secrets, pubkeys, new Zipf(count, exponent), exponent));
    }

    public static SignatureCategory categoryOf(int index) {
        return CYCLE[index % CYCLE.length];
    }

    /** e.g. "distinct keys" or "zipf 10000 authors s=1.0" */
    public String describe() {
        return authors == null ? "distinct keys"
                : "zipf " + authors.secrets().length + " authors s=" + authors.exponent();
    }

    /** Signatures {@code 0 .. count-1}, made on {@code threads} threads. */
    public Corpus generate(int count, int threads) {
        byte[] packed = new byte[Math.toIntExact(SignatureRecords.bytesFor(count))];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) count * t / threads);
                int to = (int) ((long) count * (t + 1) / threads);
                parts.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        write(i, packed, i * SignatureRecords.RECORD_BYTES);
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
        SignatureCategory[] categories = new SignatureCategory[count];
        for (int i = 0; i < count; i++) {
            categories[i] = categoryOf(i);
        }
        return new Corpus(describe(), packed, categories);
    }

    /** Signature number {@code index}, of category {@link #categoryOf(int)}. */
    public SignatureCheck make(int index) {
        byte[] record = new byte[SignatureRecords.RECORD_BYTES];
        write(index, record, 0);
        return SignatureRecords.view(ByteBuffer.wrap(record)).check(0);
    }

    /** Writes signature number {@code index} as a record at {@code target[offset ..]}. */
    void write(int index, byte[] target, int offset) {
        SplittableRandom random = new SplittableRandom(seed + GOLDEN_GAMMA * (index + 1L));
        byte[] secret;
        byte[] pubkey;
        int author = -1;
        if (authors == null) {
            secret = secretKey(secp, random);
            pubkey = xOnlyKey(secp, secret);
        } else {
            author = authors.draw(random);
            secret = authors.secrets()[author];
            pubkey = authors.pubkeys()[author].clone();
        }
        byte[] message = bytes(random, 32);
        byte[] signature = secp.signSchnorr(message, secret, bytes(random, 32));
        switch (categoryOf(index)) {
            case VALID -> { }
            case WRONG_S -> flipBit(random, signature, 32);
            case WRONG_R -> flipBit(random, signature, 0);
            case WRONG_MESSAGE -> flipBit(random, message, 0);
            case WRONG_KEY -> pubkey = authors == null ? xOnlyKey(secp, secretKey(secp, random))
                    : authors.pubkeys()[(author + 1 + random.nextInt(authors.pubkeys().length - 1))
                    % authors.pubkeys().length].clone();
            case OFF_CURVE_KEY -> put32(xNotOnCurve(random), pubkey, 0);
            case KEY_AT_LEAST_P -> put32(FIELD_P.add(belowFieldGap(random)), pubkey, 0);
            case R_AT_LEAST_P -> put32(FIELD_P.add(belowFieldGap(random)), signature, 0);
            case S_AT_LEAST_N -> {
                BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
                put32(ORDER_N.add(s.mod(TWO_TO_256.subtract(ORDER_N))), signature, 32);
            }
        }
        System.arraycopy(message, 0, target, offset + SignatureRecords.MESSAGE_OFFSET, 32);
        System.arraycopy(pubkey, 0, target, offset + SignatureRecords.PUBKEY_OFFSET, 32);
        System.arraycopy(signature, 0, target, offset + SignatureRecords.SIGNATURE_OFFSET, 64);
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

    private static byte[] secretKey(Secp256k1 secp, SplittableRandom random) {
        byte[] key;
        do {
            key = bytes(random, 32);
        } while (!secp.secKeyVerify(key));
        return key;
    }

    private static byte[] xOnlyKey(Secp256k1 secp, byte[] secret) {
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
