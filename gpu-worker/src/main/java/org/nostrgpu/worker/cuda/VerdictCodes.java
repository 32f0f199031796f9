package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;

/**
 * The kernel's output: one byte per signature, 1 valid, 0 invalid. The verdict buffer is cleared to
 * {@link #UNWRITTEN} before every launch, so a verdict the kernel did not write (a kernel bug, a short
 * grid) decodes as {@link Verdict#NOT_VERIFIED} and never as a stale "valid" from an earlier batch.
 */
public final class VerdictCodes {
    public static final byte VALID = 1;
    public static final byte INVALID = 0;
    public static final byte UNWRITTEN = (byte) 0xFF;

    public static Verdict decode(byte code) {
        return switch (code) {
            case VALID -> Verdict.VALID;
            case INVALID -> Verdict.INVALID;
            default -> Verdict.NOT_VERIFIED;
        };
    }

    /**
     * Decodes {@code count} codes from index 0 of {@code codes} into {@code into[offset ...]}.
     *
     * @return how many codes were neither valid nor invalid
     */
    public static int decode(ByteBuffer codes, int count, Verdict[] into, int offset) {
        int undecided = 0;
        for (int i = 0; i < count; i++) {
            Verdict verdict = decode(codes.get(i));
            if (verdict == Verdict.NOT_VERIFIED) {
                undecided++;
            }
            into[offset + i] = verdict;
        }
        return undecided;
    }

    private VerdictCodes() {
    }
}
