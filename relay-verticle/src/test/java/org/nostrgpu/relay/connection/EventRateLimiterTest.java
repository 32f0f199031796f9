package org.nostrgpu.relay.connection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfOneSecondThenRefillsAtTheRate() {
        EventRateLimiter limiter = new EventRateLimiter(4, 0);
        for (int i = 0; i < 4; i++) {
            assertTrue(limiter.tryAcquire(0));
        }
        assertFalse(limiter.tryAcquire(0));
        assertFalse(limiter.tryAcquire(SECOND / 8));
        assertTrue(limiter.tryAcquire(SECOND / 4 + 1));
        assertFalse(limiter.tryAcquire(SECOND / 4 + 2));
        // idle time never banks more than one second's worth
        long later = 100 * SECOND;
        for (int i = 0; i < 4; i++) {
            assertTrue(limiter.tryAcquire(later));
        }
        assertFalse(limiter.tryAcquire(later));
    }

    @Test
    void zeroMeansUnlimited() {
        EventRateLimiter limiter = new EventRateLimiter(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(limiter.tryAcquire(0));
        }
    }
}
