package org.nostrgpu.worker;

import java.util.Locale;

/** Which signature verifier a worker uses: the operator's {@code backend} setting. */
public enum BackendChoice {
    /** CUDA when a device is present, the kernel loads and passes its self-test; the CPU otherwise. */
    AUTO,
    /** Always the CPU (libsecp256k1 threads). */
    CPU,
    /** CUDA or nothing: start-up fails when CUDA cannot be used. */
    CUDA;

    /** Parses "auto", "cpu" or "cuda", case-insensitively. */
    public static BackendChoice parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("backend must be auto, cpu or cuda, got: " + text, e);
        }
    }
}
