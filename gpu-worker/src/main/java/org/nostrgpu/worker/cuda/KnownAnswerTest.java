package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A handful of BIP-340 test vectors (indices from the BIP's test-vectors.csv) that a backend must answer
 * correctly before it is trusted with real traffic.
 */
public final class KnownAnswerTest {
    private record Case(String name, String pubkey, String message, String signature, Verdict expected) {
        SignatureCheck check() {
            return new SignatureCheck(hex(message), hex(pubkey), hex(signature));
        }
    }

    private static final String KEY_1 = "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659";
    private static final String MESSAGE_1 = "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89";

    private static final List<Case> CASES = List.of(
            new Case("vector 0", "F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9",
                    "0000000000000000000000000000000000000000000000000000000000000000",
                    "067E337AD551B2276EC705E43F0920926A9CE08AC68159F9D258C9BBA412781C"
                            + "9F059FCDF4824F13B3D7C1305316F956704BB3FEA2C26142E18ACD90A90C947E", Verdict.VALID),
            new Case("vector 1", KEY_1, MESSAGE_1,
                    "0E12B8C520948A776753A96F21ABD7FDC2D7D0C0DDC90851BE17B04E75EF86A4"
                            + "7EF0DA46C4DC4D0D1BCB8668C2CE16C54C7C23A6716EDE303AF86774917CF928", Verdict.VALID),
            new Case("vector 5 (public key not on the curve)",
                    "EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34", MESSAGE_1,
                    "7036D6BFE1837AE919631039A2CF652A295DFAC9A8BBB0806014B2F48DD7C807"
                            + "941607B563ABBA414287F374A332BA3636DE009EE1EF551A17796B72B68B8A24", Verdict.INVALID),
            new Case("vector 6 (R has odd y)", KEY_1, MESSAGE_1,
                    "F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9"
                            + "95A579DA959FA739FCE39E8BD16FECB5CDCF97060B2C73CDE60E87ABCA1AA5D9", Verdict.INVALID),
            new Case("vector 13 (s equals the curve order)", KEY_1, MESSAGE_1,
                    "7036D6BFE1837AE919631039A2CF652A295DFAC9A8BBB0806014B2F48DD7C807"
                            + "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", Verdict.INVALID));

    /** The checks, in order. */
    public static List<SignatureCheck> checks() {
        return CASES.stream().map(Case::check).toList();
    }

    /** The verdicts a correct verifier gives for {@link #checks()}. */
    public static List<Verdict> expected() {
        return CASES.stream().map(Case::expected).toList();
    }

    /** Runs the vectors through {@code verifier} as one batch; empty when every verdict is right. */
    public static Optional<String> failures(SignatureVerifier verifier) {
        List<Verdict> actual;
        try {
            actual = verifier.verify(checks());
        } catch (RuntimeException e) {
            return Optional.of("verify threw " + e);
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            Verdict got = i < actual.size() ? actual.get(i) : null;
            if (got != CASES.get(i).expected()) {
                wrong.add(CASES.get(i).name() + " expected " + CASES.get(i).expected() + ", got " + got);
            }
        }
        if (actual.size() != CASES.size()) {
            wrong.add(0, actual.size() + " verdicts for " + CASES.size() + " checks");
        }
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", wrong));
    }

    private static byte[] hex(String upper) {
        return Hex.decode(upper.toLowerCase(Locale.ROOT));
    }

    private KnownAnswerTest() {
    }
}
