package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowableCapacityTest {

    @Test
    void keepsTheBuffersWhileBatchesFit() {
        GrowableCapacity capacity = new GrowableCapacity(1024, 1 << 20);
        assertFalse(capacity.growFor(1));
        assertFalse(capacity.growFor(1024));
        assertEquals(1024, capacity.current());
    }

    @Test
    void atLeastDoublesSoARisingBatchSizeReallocatesRarely() {
        GrowableCapacity capacity = new GrowableCapacity(1024, 1 << 20);
        assertTrue(capacity.growFor(1025));
        assertEquals(2048, capacity.current());
        int reallocations = 0;
        for (int needed = 2049; needed <= 500_000; needed += 1000) {
            if (capacity.growFor(needed)) {
                reallocations++;
            }
        }
        assertEquals(8, reallocations, "2048 -> 4096 -> ... -> 524288");
        assertEquals(524_288, capacity.current());
    }

    @Test
    void jumpsStraightToALargeNeedAndStopsAtTheMaximum() {
        GrowableCapacity capacity = new GrowableCapacity(16, 100_000);
        assertTrue(capacity.growFor(5000));
        assertEquals(5000, capacity.current());
        assertTrue(capacity.growFor(6000));
        assertEquals(10_000, capacity.current(), "doubled");
        assertTrue(capacity.growFor(60_000));
        assertEquals(60_000, capacity.current(), "a need beyond double is met exactly");
        assertTrue(capacity.growFor(70_000));
        assertEquals(100_000, capacity.current(), "doubling would pass the maximum");
        assertFalse(capacity.growFor(100_000));
        assertThrows(IllegalArgumentException.class, () -> capacity.growFor(100_001));
    }

    @Test
    void rejectsNonsenseLimits() {
        assertThrows(IllegalArgumentException.class, () -> new GrowableCapacity(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new GrowableCapacity(20, 10));
    }
}
