package org.nostrgpu.bench.device;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomSignaturesTest {

    private static BigInteger word(byte[] bytes, int offset) {
        return new BigInteger(1, Arrays.copyOfRange(bytes, offset, offset + 32));
    }

    private static void assertEveryCategoryJudgedAsItSays(RandomSignatures.Corpus corpus) {
        assertEquals(EnumSet.allOf(SignatureCategory.class), EnumSet.copyOf(List.of(corpus.categories())));
        try (CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(2)) {
            byte[] verdicts = cpu.verify(corpus.records());
            for (int i = 0; i < verdicts.length; i++) {
                SignatureCategory category = corpus.categories()[i];
                assertEquals(category.valid() ? Verdict.VALID : Verdict.INVALID, Verdict.ofCode(verdicts[i]),
                        i + " " + category);
            }
        }
    }

    @Test
    void everyCategoryIsMadeAndLibsecp256k1JudgesEachAsItsCategorySays() {
        assertEveryCategoryJudgedAsItSays(new RandomSignatures(7).generate(240, 2));
    }

    @Test
    void zipfAuthorsRepeatTheirKeysTheFirstRanksMostAndTheirSignaturesAreJudgedAsTheirCategorySays() {
        RandomSignatures zipf = RandomSignatures.zipfAuthors(9, 50, 1.0);
        RandomSignatures.Corpus corpus = zipf.generate(1_200, 3);
        assertEquals("zipf 50 authors s=1.0", corpus.name());
        assertEveryCategoryJudgedAsItSays(corpus);

        Map<String, Integer> byKey = new HashMap<>();
        SignatureRecords records = corpus.records();
        byte[] pubkey = new byte[32];
        for (int i = 0; i < corpus.size(); i++) {
            if (corpus.categories()[i] == SignatureCategory.VALID) {
                records.pubkey(i, pubkey);
                byKey.merge(Hex.encode(pubkey), 1, Integer::sum);
            }
        }
        int valid = byKey.values().stream().mapToInt(Integer::intValue).sum();
        int top = byKey.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(byKey.size() <= 50, "at most 50 distinct authors, got " + byKey.size());
        // rank 1 of 50 at s = 1 signs 1 / H(50) = 22 % of everything
        assertTrue(top > valid / 8 && top < valid / 3, "top author " + top + " of " + valid);
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
    void aSignatureDependsOnlyOnSeedAuthorsAndIndexNotOnThreads() {
        for (RandomSignatures signatures : List.of(new RandomSignatures(5), RandomSignatures.zipfAuthors(5, 20, 1.0))) {
            RandomSignatures.Corpus oneThread = signatures.generate(30, 1);
            RandomSignatures.Corpus threeThreads = signatures.generate(30, 3);
            assertArrayEquals(oneThread.packed(), threeThreads.packed());
            assertArrayEquals(signatures.make(17).signature(), oneThread.records().check(17).signature());
        }
        assertArrayEquals(RandomSignatures.zipfAuthors(5, 20, 1.0).generate(30, 2).packed(),
                RandomSignatures.zipfAuthors(5, 20, 1.0).generate(30, 1).packed(), "authors are made alike too");
        assertTrue(!Arrays.equals(new RandomSignatures(6).make(0).signature(), new RandomSignatures(5).make(0).signature()));
    }
}
