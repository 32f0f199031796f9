package org.nostrgpu.common.verify;

import fr.acinq.secp256k1.Secp256k1;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Signatures made with libsecp256k1 from a seeded random source, and the ways to spoil them that a
 * verifier must each reject on its own. Public for the other modules' tests (common's test jar).
 */
public final class SignatureCorpus {
    static final BigInteger FIELD_P = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
    static final BigInteger ORDER_N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    enum Corruption {
        NONE,
        FLIP_BIT_OF_S,
        FLIP_BIT_OF_R,
        FLIP_BIT_OF_MESSAGE,
        FLIP_BIT_OF_PUBKEY,
        OTHER_SIGNERS_KEY,
        R_AT_LEAST_P,
        S_AT_LEAST_N,
        PUBKEY_X_OFF_CURVE
    }

    record Signed(byte[] message, byte[] pubkey, byte[] signature) {
    }

    private final Random random;
    private final Secp256k1 secp = Secp256k1.get();

    public SignatureCorpus(long seed) {
        this.random = new Random(seed);
    }

    /**
     * {@code count} checks of distinct signers, spoilt in turn by every {@link Corruption} after each valid one
     * (so about half are valid), for differential tests of one verifier against another.
     */
    public List<SignatureCheck> mixed(int count) {
        List<Signed> signed = sign(count + 1);
        Corruption[] corruptions = Corruption.values();
        List<SignatureCheck> checks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Corruption corruption = i % 2 == 0 ? Corruption.NONE : corruptions[1 + (i / 2) % (corruptions.length - 1)];
            checks.add(spoil(signed.get(i), corruption, signed.get(i + 1)));
        }
        return checks;
    }

    List<Signed> sign(int count) {
        List<Signed> signed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] secret = secretKey();
            byte[] message = bytes(32);
            byte[] signature = secp.signSchnorr(message, secret, bytes(32));
            signed.add(new Signed(message, xOnly(secret), signature));
        }
        return signed;
    }

    /** The check for {@code original} spoilt as {@code corruption} says; {@code other} lends its key. */
    SignatureCheck spoil(Signed original, Corruption corruption, Signed other) {
        byte[] message = original.message().clone();
        byte[] pubkey = original.pubkey().clone();
        byte[] signature = original.signature().clone();
        switch (corruption) {
            case NONE -> { }
            case FLIP_BIT_OF_S -> flipBit(signature, 32, 32);
            case FLIP_BIT_OF_R -> flipBit(signature, 0, 32);
            case FLIP_BIT_OF_MESSAGE -> flipBit(message, 0, 32);
            case FLIP_BIT_OF_PUBKEY -> flipBit(pubkey, 0, 32);
            case OTHER_SIGNERS_KEY -> pubkey = other.pubkey().clone();
            case R_AT_LEAST_P -> put32(FIELD_P.add(BigInteger.valueOf(random.nextInt(1000))), signature, 0);
            case S_AT_LEAST_N -> {
                BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
                BigInteger shifted = s.add(ORDER_N);
                // s + n is the same scalar mod n, so only the range check can reject it
                put32(shifted.bitLength() <= 256 ? shifted : ORDER_N, signature, 32);
            }
            case PUBKEY_X_OFF_CURVE -> put32(xNotOnCurve(), pubkey, 0);
        }
        return new SignatureCheck(message, pubkey, signature);
    }

    /** An x below p for which x^3 + 7 has no square root mod p, so no curve point has it. */
    BigInteger xNotOnCurve() {
        BigInteger exponent = FIELD_P.subtract(BigInteger.ONE).shiftRight(1);
        while (true) {
            BigInteger x = new BigInteger(256, random).mod(FIELD_P);
            BigInteger y2 = x.pow(3).add(BigInteger.valueOf(7)).mod(FIELD_P);
            if (y2.modPow(exponent, FIELD_P).equals(FIELD_P.subtract(BigInteger.ONE))) {
                return x;
            }
        }
    }

    private byte[] secretKey() {
        byte[] key;
        do {
            key = bytes(32);
        } while (!secp.secKeyVerify(key));
        return key;
    }

    private byte[] xOnly(byte[] secret) {
        byte[] compressed = secp.pubKeyCompress(secp.pubkeyCreate(secret));
        return Arrays.copyOfRange(compressed, 1, 33);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private void flipBit(byte[] target, int offset, int length) {
        int bit = random.nextInt(length * 8);
        target[offset + bit / 8] ^= (byte) (1 << (bit % 8));
    }

    private static void put32(BigInteger value, byte[] target, int offset) {
        byte[] raw = value.toByteArray();
        int start = raw.length > 32 ? raw.length - 32 : 0;
        int length = raw.length - start;
        Arrays.fill(target, offset, offset + 32, (byte) 0);
        System.arraycopy(raw, start, target, offset + 32 - length, length);
    }
}
