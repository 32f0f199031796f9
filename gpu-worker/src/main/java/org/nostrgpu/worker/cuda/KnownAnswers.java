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
public final class KnownAnswers {
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
                    "E907831F80848D1069A5371B402410364BDF1C5F8307B0084C55F1CE2DCA8215"
                            + "25F66A4A85EA8B71E482A74F382D2CE5EBEEE8FDB2172F477DF4900D310536C0", Verdict.VALID),
            new Case("vector 1", KEY_1, MESSAGE_1,
                    "6896BD60EEAE296DB48A229FF71DFE071BDE413E6D43F917DC8DCF8C78DE3341"
                            + "8906D11AC976ABCCB20B091292BFF4EA897EFCB639EA871CFA95F6DE339E4B0A", Verdict.VALID),
            new Case("vector 5 (public key not on the curve)",
                    "EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34", MESSAGE_1,
                    "6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769"
                            + "69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B", Verdict.INVALID),
            new Case("vector 6 (R has odd y)", KEY_1, MESSAGE_1,
                    "FFF97BD5755EEEA420453A14355235D382F6472F8568A18B2F057A1460297556"
                            + "3CC27944640AC607CD107AE10923D9EF7A73C643E166BE5EBEAFA34B1AC553E2", Verdict.INVALID),
            new Case("vector 13 (s equals the curve order)", KEY_1, MESSAGE_1,
                    "6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769"
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
            actual = verifier.verifyChecks(checks());
        } catch (RuntimeException e) {
            return Optional.of("verify threw " + e);
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            Verdict got = actual.get(i);
            if (got != CASES.get(i).expected()) {
                wrong.add(CASES.get(i).name() + " expected " + CASES.get(i).expected() + ", got " + got);
            }
        }
        if (!wrong.isEmpty() && leavesOnlyInvalidUndecided(actual)) {
            wrong.add(0, "every valid signature came back VALID but every invalid one NOT_VERIFIED: the kernel writes"
                    + " 0 for invalid, the verdict codes of a kernel older than this worker (it needs 1 = VALID,"
                    + " 2 = INVALID)");
        }
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", wrong));
    }

    private static boolean leavesOnlyInvalidUndecided(List<Verdict> actual) {
        for (int i = 0; i < CASES.size(); i++) {
            Verdict expected = CASES.get(i).expected();
            Verdict oldKernelWould = expected == Verdict.VALID ? Verdict.VALID : Verdict.NOT_VERIFIED;
            if (actual.get(i) != oldKernelWould) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(String upper) {
        return Hex.decode(upper.toLowerCase(Locale.ROOT));
    }

    private KnownAnswers() {
    }
}
