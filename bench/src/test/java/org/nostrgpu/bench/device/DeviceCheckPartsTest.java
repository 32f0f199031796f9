package org.nostrgpu.bench.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.verify.Verdict;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of the device check that need no GPU: options, medians, budgets, corpus files, tallies. */
class DeviceCheckPartsTest {

    @Test
    void defaultsMatchTheIssueAndSmokeIsSmall() {
        DeviceCheckOptions full = DeviceCheckOptions.parse(new String[]{"throughput"});
        assertEquals(1_048_576, full.randomSignatures());
        assertEquals(10_000, full.authors());
        assertEquals(List.of(1, 16, 256, 1024, 16_384, 65_536, 1_048_576, 4_194_304), full.batchSizes());
        assertEquals(5, full.repetitions());
        assertEquals(1_024, full.tinyKeyCacheEntries());
        assertEquals(List.of(1, 2, 4), full.senders());
        DeviceCheckOptions smoke = DeviceCheckOptions.parse(new String[]{"differential", "--smoke", "--out", "/tmp/x",
                "--sizes", "4096,1024,4096", "--threads", "3"});
        assertEquals("differential", smoke.part());
        assertEquals(3000, smoke.randomSignatures());
        assertEquals(List.of(1024, 4096), smoke.batchSizes(), "sorted, duplicates dropped");
        assertEquals(Path.of("/tmp/x"), smoke.out());
        assertEquals(3, smoke.threads());
        assertTrue(smoke.smoke());
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        assertEquals("unknown part frobnicate; one of " + DeviceCheckOptions.PARTS, assertThrows(
                IllegalArgumentException.class, () -> DeviceCheckOptions.parse(new String[]{"frobnicate"})).getMessage());
        assertEquals("unknown option --frobnicate", assertThrows(IllegalArgumentException.class,
                () -> DeviceCheckOptions.parse(new String[]{"corpus", "--frobnicate"})).getMessage());
        assertEquals("--reps needs a value", assertThrows(IllegalArgumentException.class,
                () -> DeviceCheckOptions.parse(new String[]{"corpus", "--reps"})).getMessage());
        assertEquals("--random must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> DeviceCheckOptions.parse(new String[]{"corpus", "--random", "0"})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceCheckOptions.parse(new String[]{"corpus", "--sizes", "1,x"}));
        assertEquals(0, DeviceCheckOptions.parse(new String[]{"corpus", "--key-cache", "0"}).keyCacheEntries());
    }

    @Test
    void mediansBudgetsAndMeasurements() throws Exception {
        assertEquals(3.0, Timings.median(new double[]{9, 1, 3}));
        assertEquals(2.5, Timings.median(new double[]{4, 1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> Timings.median(new double[0]));
        assertEquals(5, Timings.repetitionsWithin(0.5, 5, 15));
        assertEquals(3, Timings.repetitionsWithin(4, 5, 15));
        assertEquals(1, Timings.repetitionsWithin(40, 5, 15), "always at least one");

        AtomicInteger calls = new AtomicInteger();
        Timings.Sample quick = Timings.measure(() -> calls.incrementAndGet() == 1 ? 0.004 : 0.002, 3, 10);
        assertEquals(3, quick.repetitions());
        assertEquals(5, quick.callsPerRepetition(), "enough calls to fill 20 ms, judged by the 4 ms warm-up");
        assertEquals(0.002, quick.medianSeconds(), 1e-9);
        assertEquals(1 + 3 * 5, calls.get());
        Timings.Sample slow = Timings.measure(() -> 5.0, 5, 12);
        assertEquals(2, slow.repetitions(), "12 s of budget hold two 5 s calls");
        assertTrue(Timings.measure(() -> 20.0, 5, 12).overran(12));
    }

    @Test
    void aCorpusFileGivesBackTheSameRecordsCategoriesAndReference(@TempDir Path dir) throws Exception {
        RandomSignatures.Corpus made = RandomSignatures.zipfAuthors(3, 10, 1.0).generate(40, 2);
        byte[] reference = new byte[40];
        for (int i = 0; i < 40; i++) {
            reference[i] = (made.categories()[i].valid() ? Verdict.VALID : Verdict.INVALID).code();
        }
        DeviceCorpus corpus = new DeviceCorpus(made.name(), made.packed(), made.categories(), reference);
        Path file = dir.resolve("sub").resolve("c.corpus");
        DeviceCorpus.write(file, corpus);
        DeviceCorpus read = DeviceCorpus.read(file);
        assertEquals(corpus.name(), read.name());
        assertArrayEquals(corpus.packed(), read.packed());
        assertArrayEquals(corpus.categories(), read.categories());
        assertArrayEquals(corpus.reference(), read.reference());

        byte[] verdicts = new byte[100];
        assertEquals(100, read.batch(100, verdicts).size(), "a batch larger than the corpus repeats it");
        System.arraycopy(reference, 0, verdicts, 0, 40);
        System.arraycopy(reference, 0, verdicts, 40, 40);
        System.arraycopy(reference, 0, verdicts, 80, 20);
        assertEquals(0, read.mismatches(verdicts, 100));
        verdicts[57] = Verdict.NOT_VERIFIED_CODE;
        assertEquals(1, read.mismatches(verdicts, 100));
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
