package org.nostrgpu.common.verify;

/**
 * The outcome of one signature check, and the one byte it is everywhere it travels as a byte: in a verifier's
 * verdict array, in the CUDA kernel's output buffer and in a verify reply on the event bus. The CUDA host code
 * clears the kernel's verdict buffer to {@link #NOT_VERIFIED}'s code before each launch, so a verdict the kernel
 * did not write reads as not verified, never as a stale decision.
 */
public enum Verdict {
    /** Code 1. */
    VALID(1),
    /** Code 2. */
    INVALID(2),
    /** Code 0: the backend could not decide (overloaded, device error, shutting down); the caller falls back. */
    NOT_VERIFIED(0);

    public static final byte NOT_VERIFIED_CODE = 0;
    public static final byte VALID_CODE = 1;
    public static final byte INVALID_CODE = 2;

    private static final Verdict[] BY_CODE = {NOT_VERIFIED, VALID, INVALID};

    private final byte code;

    Verdict(int code) {
        this.code = (byte) code;
    }

    /** The byte this verdict travels as. */
    public byte code() {
        return code;
    }

    /** The verdict {@code code} stands for, or null when it stands for none. */
    public static Verdict ofCode(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether {@code code} is a decision (valid or invalid) rather than not-verified or garbage. */
    public static boolean isDecided(byte code) {
        return code == VALID_CODE || code == INVALID_CODE;
    }
}
