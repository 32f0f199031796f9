package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.common.verify.Bip340VectorFile;

import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownAnswersTest {

    @Test
    void everyCaseIsAnOfficialVectorWithItsOfficialResult() throws Exception {
        List<Bip340VectorFile.Vector> vectors;
        try (var in = new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/bip340-final-test-vectors.csv")), StandardCharsets.UTF_8)) {
            vectors = Bip340VectorFile.read(in);
        }
        List<SignatureCheck> checks = KnownAnswers.checks();
        for (int i = 0; i < checks.size(); i++) {
            SignatureCheck check = checks.get(i);
            Bip340VectorFile.Vector match = vectors.stream()
                    .filter(v -> Arrays.equals(v.check().signature(), check.signature())
                            && Arrays.equals(v.check().pubkey(), check.pubkey())
                            && Arrays.equals(v.check().message(), check.message()))
                    .findFirst().orElseThrow(() -> new AssertionError("case is not in the vector file"));
            assertEquals(match.expectedValid() ? Verdict.VALID : Verdict.INVALID, KnownAnswers.expected().get(i));
        }
        assertTrue(KnownAnswers.expected().contains(Verdict.VALID) && KnownAnswers.expected().contains(Verdict.INVALID));
    }

    @Test
    void libsecp256k1PassesIt() {
        try (CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(1)) {
            assertEquals(java.util.Optional.empty(), KnownAnswers.failures(cpu));
        }
    }

    @Test
    void aKernelWritingTheOldCodesFailsItAndTheReasonSaysSo() throws Exception {
        try (CudaSchnorrVerifier old = CudaTestSupport.verifierWritingCodes((byte) 1, (byte) 0)) {
            String failures = KnownAnswers.failures(old).orElseThrow();
            assertTrue(failures.startsWith("every valid signature came back VALID but every invalid one NOT_VERIFIED:"
                    + " the kernel writes 0 for invalid"), failures);
            assertTrue(failures.contains("vector 6 (R has odd y) expected INVALID, got NOT_VERIFIED"), failures);
        }
        try (CudaSchnorrVerifier current = CudaTestSupport.verifierWritingCodes(Verdict.VALID_CODE,
                Verdict.INVALID_CODE)) {
            assertEquals(java.util.Optional.empty(), KnownAnswers.failures(current), "the bus codes pass");
        }
        try (CudaSchnorrVerifier swapped = CudaTestSupport.verifierWritingCodes(Verdict.INVALID_CODE,
                Verdict.VALID_CODE)) {
            String failures = KnownAnswers.failures(swapped).orElseThrow();
            assertTrue(failures.startsWith("vector 0 expected VALID, got INVALID"), failures);
        }
    }

    @Test
    void aVerifierThatCallsEverythingValidFailsItNamingTheCases() {
        SignatureVerifier gullible = new SignatureVerifier() {
            @Override
            public void verify(SignatureBatch batch) {
                byte[] codes = new byte[batch.size()];
                Arrays.fill(codes, Verdict.VALID_CODE);
                batch.putVerdicts(0, batch.size(), ByteBuffer.wrap(codes));
            }

            @Override
            public String describe() {
                return "gullible";
            }
        };
        String failures = KnownAnswers.failures(gullible).orElseThrow();
        assertTrue(failures.contains("vector 5 (public key not on the curve) expected INVALID, got VALID"), failures);
    }

    @Test
    void aVerifierThatAnswersTooFewOrThrowsFailsIt() {
        SignatureVerifier shortChanging = new SignatureVerifier() {
            @Override
            public void verify(SignatureBatch batch) {
                batch.putVerdicts(0, 1, ByteBuffer.wrap(new byte[]{Verdict.VALID_CODE}));
            }

            @Override
            public String describe() {
                return "short";
            }
        };
        assertTrue(KnownAnswers.failures(shortChanging).orElseThrow().contains("vector 1 expected VALID, got NOT_VERIFIED"));
        SignatureVerifier throwing = new SignatureVerifier() {
            @Override
            public void verify(SignatureBatch batch) {
                throw new IllegalStateException("boom");
            }

            @Override
            public String describe() {
                return "throwing";
            }
        };
        assertTrue(KnownAnswers.failures(throwing).orElseThrow().contains("boom"));
    }
}
