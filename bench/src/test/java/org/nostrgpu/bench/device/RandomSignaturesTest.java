package org.nostrgpu.bench.device;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomSignaturesTest {

    private static BigInteger word(byte[] bytes, int offset) {
        return new BigInteger(1, Arrays.copyOfRange(bytes, offset, offset + 32));
    }

    @Test
    void everyCategoryIsMadeAndLibsecp256k1JudgesEachAsItsCategorySays() {
        RandomSignatures.Corpus corpus = new RandomSignatures(7).generate(240, 2);
        assertEquals(EnumSet.allOf(SignatureCategory.class), EnumSet.copyOf(corpus.categories()));
        try (CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(2)) {
            List<Verdict> verdicts = cpu.verifyChecks(corpus.checks());
            for (int i = 0; i < verdicts.size(); i++) {
                SignatureCategory category = corpus.categories().get(i);
                assertEquals(category.valid() ? Verdict.VALID : Verdict.INVALID, verdicts.get(i), i + " " + category);
            }
        }
    }

    @Test
    void outOfRangeCategoriesReallyAreOutOfRange() {
        RandomSignatures signatures = new RandomSignatures(11);
        for (int i = 0; i < 120; i++) {
            SignatureCheck check = signatures.make(i);
            switch (RandomSignatures.categoryOf(i)) {
                case KEY_AT_LEAST_P -> assertTrue(word(check.pubkey(), 0).compareTo(RandomSignatures.FIELD_P) >= 0);
                case R_AT_LEAST_P -> assertTrue(word(check.signature(), 0).compareTo(RandomSignatures.FIELD_P) >= 0);
                case S_AT_LEAST_N -> assertTrue(word(check.signature(), 32).compareTo(RandomSignatures.ORDER_N) >= 0);
                case OFF_CURVE_KEY -> assertTrue(word(check.pubkey(), 0).compareTo(RandomSignatures.FIELD_P) < 0);
                default -> { }
            }
        }
        BigInteger x = RandomSignatures.xNotOnCurve(new SplittableRandom(3));
        BigInteger y2 = x.pow(3).add(BigInteger.valueOf(7)).mod(RandomSignatures.FIELD_P);
        assertEquals(RandomSignatures.FIELD_P.subtract(BigInteger.ONE),
                y2.modPow(RandomSignatures.FIELD_P.shiftRight(1), RandomSignatures.FIELD_P), "a non-residue");
    }

    @Test
    void aSignatureDependsOnlyOnSeedAndIndexNotOnThreads() {
        RandomSignatures.Corpus oneThread = new RandomSignatures(5).generate(30, 1);
        RandomSignatures.Corpus threeThreads = new RandomSignatures(5).generate(30, 3);
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(oneThread.checks().get(i).signature(), threeThreads.checks().get(i).signature());
            assertArrayEquals(oneThread.checks().get(i).pubkey(), threeThreads.checks().get(i).pubkey());
        }
        assertTrue(!Arrays.equals(new RandomSignatures(6).make(0).signature(), oneThread.checks().get(0).signature()));
    }
}
