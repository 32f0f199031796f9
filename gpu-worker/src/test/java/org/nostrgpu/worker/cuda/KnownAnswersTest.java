package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.common.verify.Bip340VectorFile;

import java.io.InputStreamReader;
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
    void aVerifierThatCallsEverythingValidFailsItNamingTheCases() {
        SignatureVerifier gullible = new SignatureVerifier() {
            @Override
            public List<Verdict> verify(List<SignatureCheck> checks) {
                return checks.stream().map(c -> Verdict.VALID).toList();
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
            public List<Verdict> verify(List<SignatureCheck> checks) {
                return List.of(Verdict.VALID);
            }

            @Override
            public String describe() {
                return "short";
            }
        };
        assertTrue(KnownAnswers.failures(shortChanging).orElseThrow().startsWith("1 verdicts for 5 checks"));
        SignatureVerifier throwing = new SignatureVerifier() {
            @Override
            public List<Verdict> verify(List<SignatureCheck> checks) {
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
