package org.nostrgpu.bench.verify;

import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the benchmark harness working; the figures themselves come from running its main method. */
class VerifierThroughputTest {

    @Test
    void measuresEveryRepetitionOnAValidCorpus() {
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(2)) {
            VerifierThroughput.Result result = VerifierThroughput.measure(verifier, 40, 100, 0.05, 3);
            assertEquals("cpu(2 threads)", result.verifier());
            assertEquals(3, result.perRepetition().length);
            for (int i = 0; i < 3; i++) {
                assertTrue(result.perRepetition()[i] > 0 && result.perCpuSecond()[i] > 0);
            }
            assertTrue(result.median() > 0);
        }
    }

    @Test
    void theCorpusIsDistinctAndValid() {
        List<SignatureCheck> corpus = VerifierThroughput.signedCorpus(20);
        assertEquals(20, corpus.stream().map(c -> HexFormat.of().formatHex(c.pubkey())).distinct().count());
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(1)) {
            assertTrue(verifier.verifyChecks(corpus).stream().allMatch(v -> v == Verdict.VALID));
        }
    }
}
