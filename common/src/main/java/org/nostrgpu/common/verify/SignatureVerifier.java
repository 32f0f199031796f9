package org.nostrgpu.common.verify;

import java.util.List;

/**
 * Verifies BIP-340 Schnorr signatures in batches of {@link SignatureRecords}. A bad signature fails only its own
 * record. Implementations are thread-safe and blocking: never call from an event loop.
 */
public interface SignatureVerifier extends AutoCloseable {

    /**
     * Verifies every record of {@code batch} and writes each decision ({@link Verdict#VALID} or
     * {@link Verdict#INVALID} as its {@link Verdict#code()}) to the record's verdict destination. A record the
     * verifier cannot decide (closed, device error) reads {@link Verdict#NOT_VERIFIED} afterwards (destinations start
     * as zeros, or the verifier clears them); nothing is ever written as a decision unless this verifier decided that
     * very record.
     */
    void verify(SignatureBatch batch);

    /** A short name for logs, metrics and health output, e.g. "cpu(2 threads)". */
    String describe();

    /** Verifies {@code records} and returns their verdict codes, in order. */
    default byte[] verify(SignatureRecords records) {
        byte[] verdicts = new byte[records.count()];
        verify(SignatureBatch.of(records, verdicts));
        return verdicts;
    }

    /** Convenience for tests and tools: packs the checks as records, verifies them and returns the verdicts. */
    default List<Verdict> verifyChecks(List<SignatureCheck> checks) {
        SignatureRecords records = SignatureRecords.of(checks);
        byte[] verdicts = new byte[records.count()];
        SignatureBatch batch = SignatureBatch.of(records, verdicts);
        verify(batch);
        return batch.verdicts();
    }

    @Override
    default void close() {
    }
}
