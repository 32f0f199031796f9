package org.nostrgpu.common.negentropy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A range's fingerprint: the ids added as 256-bit little-endian integers modulo 2^256, then the first 16 bytes of
 * SHA-256 over that sum (32 bytes, little-endian) followed by the item count as a varint.
 */
final class Fingerprint {
    static final int SIZE = 16;

    /** The sum's four 64-bit limbs, least significant first. */
    private long limb0;
    private long limb1;
    private long limb2;
    private long limb3;

    void add(long a0, long a1, long a2, long a3) {
        long sum0 = limb0 + a0;
        long carry = Long.compareUnsigned(sum0, limb0) < 0 ? 1 : 0;
        long partial1 = limb1 + a1;
        long sum1 = partial1 + carry;
        carry = (Long.compareUnsigned(partial1, limb1) < 0 || Long.compareUnsigned(sum1, partial1) < 0) ? 1 : 0;
        long partial2 = limb2 + a2;
        long sum2 = partial2 + carry;
        carry = (Long.compareUnsigned(partial2, limb2) < 0 || Long.compareUnsigned(sum2, partial2) < 0) ? 1 : 0;
        limb0 = sum0;
        limb1 = sum1;
        limb2 = sum2;
        limb3 = limb3 + a3 + carry; // the carry out of the top limb is the modulo
    }

    byte[] finish(long count) {
        MessageWriter input = new MessageWriter();
        for (long limb : new long[] {limb0, limb1, limb2, limb3}) {
            for (int i = 0; i < 8; i++) {
                input.writeByte((int) (limb >>> (8 * i)));
            }
        }
        input.writeVarint(count);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(input.toByteArray());
            return Arrays.copyOf(hash, SIZE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
