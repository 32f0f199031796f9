package org.nostrgpu.common.verify;

import fr.acinq.secp256k1.Secp256k1;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nostrgpu.common.verify.Bip340VectorFile.Vector;
import org.nostrgpu.common.verify.SignatureCorpus.Corruption;
import org.nostrgpu.common.verify.SignatureCorpus.Signed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuSchnorrVerifierTest {

    @Test
    void theFinalVectorFileHasOnlyThirtyTwoByteMessagesAndAllAreUsed() {
        List<Vector> vectors = Bip340Vectors.withThirtyTwoByteMessages(Bip340Vectors.FINAL);
        assertEquals(15, Bip340Vectors.rowCount(Bip340Vectors.FINAL), "the CSV changed: review which rows apply");
        assertEquals(Bip340Vectors.rowCount(Bip340Vectors.FINAL), vectors.size());
        assertTrue(vectors.stream().anyMatch(Vector::expectedValid));
        assertTrue(vectors.stream().anyMatch(v -> !v.expectedValid()));
    }

    @Test
    void libsecp256k1SigningReproducesTheFinalVectorsSignatures() {
        Secp256k1 secp = Secp256k1.get();
        List<Vector> signable = Bip340Vectors.withThirtyTwoByteMessages(Bip340Vectors.FINAL).stream()
                .filter(v -> v.secretKey().length == 32).toList();
        assertEquals(4, signable.size());
        for (Vector vector : signable) {
            byte[] signature = secp.signSchnorr(vector.check().message(), vector.secretKey(), vector.auxRand());
            assertArrayEquals(vector.check().signature(), signature, "vector " + vector.index());
        }
    }

    /**
     * The vector file {@code bip340-test-vectors.csv} (as the product owner supplied it) predates the final BIP-340: it is the square-Y draft, whose nonce
     * rule the BIP replaced with even-Y before activation. Its "valid" signatures are invalid Nostr signatures,
     * so a correct verifier must reject them; this test fails (and should then be retired) if the file is
     * replaced by the final vectors.
     */
    @Test
    void theSharedVectorFileIsTheSupersededSquareYDraftAndItsSignaturesAreRejected() {
        List<Vector> draft = Bip340Vectors.withThirtyTwoByteMessages(Bip340Vectors.SQUARE_Y_DRAFT);
        assertEquals(15, draft.size());
        assertTrue(draft.stream().anyMatch(v -> v.comment().contains("has_square_y")), "draft wording");
        Secp256k1 secp = Secp256k1.get();
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(1)) {
            List<Verdict> verdicts = verifier.verifyChecks(draft.stream().map(Vector::check).toList());
            assertEquals(Collections.nCopies(draft.size(), Verdict.INVALID), verdicts);
        }
        for (Vector vector : draft) {
            if (vector.secretKey().length == 32) {
                byte[] finalSignature = secp.signSchnorr(vector.check().message(), vector.secretKey(), vector.auxRand());
                assertFalse(Arrays.equals(vector.check().signature(), finalSignature),
                        "draft vector " + vector.index() + " was signed under another nonce rule");
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 4})
    void everyBip340VectorGetsItsExpectedVerdictOneByOne(int threads) {
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            for (Vector vector : Bip340Vectors.withThirtyTwoByteMessages(Bip340Vectors.FINAL)) {
                List<Verdict> verdicts = verifier.verifyChecks(List.of(vector.check()));
                assertEquals(List.of(expected(vector)), verdicts,
                        "vector " + vector.index() + " (" + vector.comment() + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 4})
    void bip340VectorsRepeatedInOneShuffledBatchKeepTheirOwnVerdicts(int threads) {
        List<Vector> vectors = new ArrayList<>();
        for (int copy = 0; copy < 9; copy++) {
            vectors.addAll(Bip340Vectors.withThirtyTwoByteMessages(Bip340Vectors.FINAL));
        }
        Collections.shuffle(vectors, new Random(threads));
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            List<Verdict> verdicts = verifier.verifyChecks(vectors.stream().map(Vector::check).toList());
            assertEquals(vectors.size(), verdicts.size());
            for (int i = 0; i < vectors.size(); i++) {
                assertEquals(expected(vectors.get(i)), verdicts.get(i),
                        "position " + i + ", vector " + vectors.get(i).index());
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 4})
    void mixedBatchOfValidAndCorruptedSignaturesGetsPerSignatureVerdicts(int threads) {
        SignatureCorpus corpus = new SignatureCorpus(1000L + threads);
        List<Signed> signed = corpus.sign(270);
        Corruption[] corruptions = Corruption.values();
        Random pick = new Random(threads);
        List<SignatureCheck> checks = new ArrayList<>();
        List<Corruption> applied = new ArrayList<>();
        for (int i = 0; i < signed.size(); i++) {
            // every kind appears, in an order that is not a repeating pattern
            Corruption corruption = i < corruptions.length ? corruptions[i] : corruptions[pick.nextInt(corruptions.length)];
            applied.add(corruption);
            checks.add(corpus.spoil(signed.get(i), corruption, signed.get((i + 1) % signed.size())));
        }
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            List<Verdict> verdicts = verifier.verifyChecks(checks);
            assertEquals(checks.size(), verdicts.size());
            for (int i = 0; i < checks.size(); i++) {
                Verdict expected = applied.get(i) == Corruption.NONE ? Verdict.VALID : Verdict.INVALID;
                assertEquals(expected, verdicts.get(i), "signature " + i + " with corruption " + applied.get(i));
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 3})
    void aBatchOfRunsFromSeveralRequestsWritesEachVerdictToItsOwnRequest(int threads) {
        SignatureCorpus corpus = new SignatureCorpus(500L + threads);
        List<SignatureCheck> checks = corpus.mixed(90);
        SignatureRecords records = SignatureRecords.of(checks);
        byte[] first = new byte[40];
        byte[] second = new byte[8 + 50];
        SignatureBatch batch = SignatureBatch.of(List.of(
                new SignatureBatch.Run(records.slice(0, 40), first, 0),
                new SignatureBatch.Run(records.slice(40, 50), second, 8)));
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            verifier.verify(batch);
            List<Verdict> oneByOne = new ArrayList<>();
            for (SignatureCheck check : checks) {
                oneByOne.addAll(verifier.verifyChecks(List.of(check)));
            }
            assertEquals(oneByOne, batch.verdicts());
            assertTrue(batch.verdicts().contains(Verdict.VALID) && batch.verdicts().contains(Verdict.INVALID));
            assertEquals(0, second[0] | second[7], "nothing written before the run's verdict offset");
        }
    }

    @Test
    void offCurvePublicKeyIsInvalidNotAnException() {
        SignatureCorpus corpus = new SignatureCorpus(7);
        Signed signed = corpus.sign(1).get(0);
        SignatureCheck offCurve = corpus.spoil(signed, Corruption.PUBKEY_X_OFF_CURVE, signed);
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(1)) {
            assertEquals(List.of(Verdict.INVALID), verifier.verifyChecks(List.of(offCurve)));
        }
    }

    @Test
    void emptyBatchGivesNoVerdicts() {
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(2)) {
            assertEquals(List.of(), verifier.verifyChecks(List.of()));
        }
    }

    @Test
    void aClosedVerifierLeavesEveryCheckUndecidedSoCallersFallBack() {
        SignatureCorpus corpus = new SignatureCorpus(11);
        List<SignatureCheck> checks = corpus.sign(40).stream()
                .map(s -> corpus.spoil(s, Corruption.NONE, s)).toList();
        CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(2);
        assertEquals(Collections.nCopies(40, Verdict.VALID), verifier.verifyChecks(checks));
        verifier.close();
        assertEquals(Collections.nCopies(40, Verdict.NOT_VERIFIED), verifier.verifyChecks(checks));
    }

    @Test
    void describesItsThreadCount() {
        try (CpuSchnorrVerifier one = new CpuSchnorrVerifier(1); CpuSchnorrVerifier four = new CpuSchnorrVerifier(4)) {
            assertEquals("cpu(1 threads)", one.describe());
            assertEquals("cpu(4 threads)", four.describe());
        }
    }

    @Test
    void refusesZeroThreads() {
        assertThrows(IllegalArgumentException.class, () -> new CpuSchnorrVerifier(0));
    }

    private static Verdict expected(Vector vector) {
        return vector.expectedValid() ? Verdict.VALID : Verdict.INVALID;
    }
}
