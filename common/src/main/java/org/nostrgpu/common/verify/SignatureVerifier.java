package org.nostrgpu.common.verify;

import java.util.List;

/**
 * Verifies BIP-340 Schnorr signatures in batches. One verdict per check, in order; a bad signature
 * fails only its own check. Implementations are thread-safe and blocking: never call from an event loop.
 */
public interface SignatureVerifier extends AutoCloseable {

    List<Verdict> verify(List<SignatureCheck> checks);

    /** A short name for logs, metrics and health output, e.g. "cpu(2 threads)". */
    String describe();

    @Override
    default void close() {
    }
}
