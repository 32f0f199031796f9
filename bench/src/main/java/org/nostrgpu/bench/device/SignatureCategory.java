package org.nostrgpu.bench.device;

/**
 * How a random test signature was made: valid, or spoilt in one way that a BIP-340 verifier must reject.
 * The range categories (key, r at least p; s at least n) put a value out of range that is not congruent to
 * the original, so they test that the verifier rejects such input without crashing or misreading it; the
 * exact boundary cases (r = p, s = n) are in the BIP-340 vectors.
 */
public enum SignatureCategory {
    VALID(true),
    WRONG_S(false),
    WRONG_R(false),
    WRONG_MESSAGE(false),
    /** A valid signature presented with another signer's (valid) key. */
    WRONG_KEY(false),
    /** x below p, but x^3 + 7 has no square root: no curve point has that x. */
    OFF_CURVE_KEY(false),
    KEY_AT_LEAST_P(false),
    R_AT_LEAST_P(false),
    S_AT_LEAST_N(false);

    private final boolean valid;

    SignatureCategory(boolean valid) {
        this.valid = valid;
    }

    public boolean valid() {
        return valid;
    }
}
