package org.nostrgpu.relay.verify;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adaptive deadline: from the workers' round-trip times, between the floor and the cap. */
class ResponseTimesTest {
    private static final long MS = 1_000_000;

    @Test
    void beforeAnyAnswerTheDeadlineIsTheFloor() {
        ResponseTimes times = new ResponseTimes(200, 1_000, 50);
        assertEquals(200, times.deadlineMillis());
        assertEquals(100, times.hedgeAfterMillis(200), "half the floor, above the hedging minimum");
    }

    @Test
    void fastWorkersKeepTheFloorAndSlowOnesRaiseTheDeadlineUpToTheCap() {
        ResponseTimes times = new ResponseTimes(200, 1_000, 50);
        for (int i = 0; i < 50; i++) {
            times.record(2 * MS);
        }
        assertEquals(200, times.deadlineMillis());
        assertEquals(50, times.hedgeAfterMillis(times.deadlineMillis()), "the hedging minimum, not earlier");

        for (int i = 0; i < 50; i++) {
            times.record(300 * MS);
        }
        long deadline = times.deadlineMillis();
        assertTrue(deadline > 600 && deadline <= 1_000, "twice the expected time, capped: " + deadline);
        long hedge = times.hedgeAfterMillis(deadline);
        assertTrue(hedge >= 300 && hedge <= deadline, "hedged after the expected time: " + hedge);

        for (int i = 0; i < 50; i++) {
            times.record(60_000 * MS);
        }
        assertEquals(1_000, times.deadlineMillis(), "a very late answer counts as the cap");
    }

    @Test
    void aScatteredWorkerGetsMoreRoomThanASteadyOneOfTheSameMean() {
        ResponseTimes steady = new ResponseTimes(10, 10_000, 0);
        ResponseTimes scattered = new ResponseTimes(10, 10_000, 0);
        for (int i = 0; i < 100; i++) {
            steady.record(100 * MS);
            scattered.record((i % 2 == 0 ? 20 : 180) * MS);
        }
        assertTrue(scattered.deadlineMillis() > steady.deadlineMillis(),
                scattered.deadlineMillis() + " vs " + steady.deadlineMillis());
    }
}
