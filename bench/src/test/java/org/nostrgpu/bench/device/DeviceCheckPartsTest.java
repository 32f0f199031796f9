package org.nostrgpu.bench.device;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.Verdict;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of the device check that need no GPU: options, medians, budgets, replication, tallies. */
class DeviceCheckPartsTest {

    @Test
    void defaultsMatchTheIssueAndSmokeIsSmall() {
        DeviceCheckOptions full = DeviceCheckOptions.parse(new String[0]);
        assertEquals(1_000_000, full.randomSignatures());
        assertEquals(List.of(1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304), full.batchSizes());
        assertEquals(5, full.repetitions());
        DeviceCheckOptions smoke = DeviceCheckOptions.parse(new String[]{"--smoke", "--json", "/tmp/x.json",
                "--sizes", "4096,1024,4096", "--threads", "3", "--require-cuda"});
        assertEquals(3000, smoke.randomSignatures());
        assertEquals(List.of(1024, 4096), smoke.batchSizes(), "sorted, duplicates dropped");
        assertEquals(Path.of("/tmp/x.json"), smoke.json());
        assertEquals(3, smoke.threads());
        assertTrue(smoke.requireCuda());
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        assertEquals("unknown option --frobnicate", assertThrows(IllegalArgumentException.class,
                () -> DeviceCheckOptions.parse(new String[]{"--frobnicate"})).getMessage());
        assertEquals("--reps needs a value", assertThrows(IllegalArgumentException.class,
                () -> DeviceCheckOptions.parse(new String[]{"--reps"})).getMessage());
        assertEquals("--random must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> DeviceCheckOptions.parse(new String[]{"--random", "0"})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceCheckOptions.parse(new String[]{"--sizes", "1,x"}));
    }

    @Test
    void mediansAndBudgets() {
        assertEquals(3.0, Timings.median(new double[]{9, 1, 3}));
        assertEquals(2.5, Timings.median(new double[]{4, 1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> Timings.median(new double[0]));
        assertEquals(5, Timings.repetitionsWithin(0.5, 5, 15));
        assertEquals(3, Timings.repetitionsWithin(4, 5, 15));
        assertEquals(1, Timings.repetitionsWithin(40, 5, 15), "always at least one");
    }

    @Test
    void replicationRepeatsTheSourceFromTheStart() {
        Replicated<String> list = new Replicated<>(List.of("a", "b", "c"), 7);
        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), List.copyOf(list));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(7));
        assertThrows(IllegalArgumentException.class, () -> new Replicated<>(List.of(), 1));
    }

    @Test
    void theTallyCountsPerGroupAndKeepsTheFirstMismatches() {
        DifferentialTally tally = new DifferentialTally();
        tally.add(0, "valid", Verdict.VALID, Verdict.VALID);
        tally.add(1, "valid", Verdict.VALID, Verdict.NOT_VERIFIED);
        tally.add(2, "wrong_s", Verdict.INVALID, Verdict.VALID);
        tally.add(3, "wrong_s", Verdict.INVALID, Verdict.INVALID);
        assertEquals(2, tally.mismatches());
        assertEquals(4, tally.total());
        DifferentialTally.Group valid = tally.groups().get("valid");
        assertEquals(2, valid.referenceValid());
        assertEquals(1, valid.backendValid());
        assertEquals(1, valid.backendNotVerified());
        assertEquals(1, tally.groups().get("wrong_s").backendValid());
        assertEquals(List.of(new DifferentialTally.Mismatch(1, "valid", Verdict.VALID, Verdict.NOT_VERIFIED),
                new DifferentialTally.Mismatch(2, "wrong_s", Verdict.INVALID, Verdict.VALID)), tally.firstMismatches());
    }
}
