package org.nostrgpu.worker.hybrid;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe's search on verifiers whose cost is scripted on a fake clock: what it finds does not depend on timing. */
class CrossoverProbeTest {
    private final AtomicLong now = new AtomicLong();

    /** Calls every record valid and takes {@code cost(n)} nanoseconds of the fake clock for a batch of n. */
    private SignatureVerifier costing(String name, IntToLongFunction cost) {
        return new SignatureVerifier() {
            @Override
            public void verify(SignatureBatch batch) {
                byte[] valid = new byte[batch.size()];
                Arrays.fill(valid, Verdict.VALID_CODE);
                batch.putVerdicts(0, batch.size(), ByteBuffer.wrap(valid));
                now.addAndGet(cost.applyAsLong(batch.size()));
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    @Test
    void theCrossoverIsWhereTheGpusFixedCostIsPaidBackAndItIsRefinedBetweenTwoSizes() {
        SignatureVerifier cpu = costing("cpu", n -> 10_000L * n);        // 10 us per signature
        SignatureVerifier gpu = costing("gpu", n -> 300_000L + 10L * n);  // 300 us per launch
        Crossover crossover = new CrossoverProbe(cpu, gpu, 16_384, 5_000, now::get).measure();
        // 16 -> 160 us against 300: cpu; 32 -> 320 against 300: gpu; then 24 and 28 (both cpu) refine the gap
        assertEquals(32, crossover.size());
        assertEquals(List.of(1, 2, 4, 8, 16, 24, 28, 32, 64),
                crossover.points().stream().map(Crossover.Point::size).toList());
        assertEquals(300.32, crossover.points().get(7).gpuMicros(), 1e-9);
        assertTrue(crossover.cpuTakes(31) && !crossover.cpuTakes(32));
        assertTrue(crossover.note().startsWith("GPU faster from 32 signatures on (300 us against 320 us"),
                crossover.note());
        assertTrue(crossover.measuredAt() != null);
    }

    @Test
    void aGpuThatWinsOnceByNoiseThenLosesDoesNotTakeTheLargeBatches() {
        SignatureVerifier cpu = costing("cpu", n -> 10_000L * n);
        // faster than the cpu at 4 only (noise), then slower until 64
        SignatureVerifier gpu = costing("gpu", n -> n == 4 ? 1_000 : n < 64 ? 1_000_000 : 10_000L);
        Crossover crossover = new CrossoverProbe(cpu, gpu, 16_384, 5_000, now::get).measure();
        assertEquals(64, crossover.size(), "the last streak counts, not the first win");
    }

    @Test
    void aGpuNeverFasterLeavesOnlyTheUntestedLargerBatchesToIt() {
        SignatureVerifier cpu = costing("cpu", n -> 1_000L * n);
        SignatureVerifier gpu = costing("gpu", n -> 1_000_000_000L);
        Crossover crossover = new CrossoverProbe(cpu, gpu, 256, 60_000, now::get).measure();
        assertEquals(512, crossover.size());
        assertTrue(crossover.note().startsWith("the GPU was never faster up to 256 signatures"), crossover.note());
    }

    @Test
    void theTimeBudgetStopsTheSearchAfterTheFirstSize() {
        SignatureVerifier cpu = costing("cpu", n -> 1_000_000_000L);
        SignatureVerifier gpu = costing("gpu", n -> 1_000_000_000L);
        Crossover crossover = new CrossoverProbe(cpu, gpu, 16_384, 1, now::get).measure();
        assertEquals(1, crossover.points().size());
    }

    @Test
    void aBackendThatCannotVerifyTheProbesValidSignaturesIsAnError() {
        SignatureVerifier broken = new SignatureVerifier() {
            @Override
            public void verify(SignatureBatch batch) {
                // decides nothing
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CrossoverProbe(costing("cpu", n -> 1), broken, 64, 1_000, now::get).measure());
        assertEquals("broken did not verify the probe's valid signatures", e.getMessage());
    }
}
