package org.nostrgpu.relay.connection;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.config.RateLimit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(new RateLimit(4, 6), 0);
        for (int i = 0; i < 6; i++) {
            assertTrue(bucket.tryTake(0));
        }
        assertFalse(bucket.tryTake(0));
        assertFalse(bucket.isFull(0));
        assertFalse(bucket.tryTake(SECOND / 8));
        assertTrue(bucket.tryTake(SECOND / 4 + 1));
        assertFalse(bucket.tryTake(SECOND / 4 + 2));
        // idle time never banks more than the burst
        long later = 100 * SECOND;
        assertTrue(bucket.isFull(later));
        for (int i = 0; i < 6; i++) {
            assertTrue(bucket.tryTake(later));
        }
        assertFalse(bucket.tryTake(later));
    }

    @Test
    void unlimitedAlwaysGrants() {
        TokenBucket bucket = new TokenBucket(RateLimit.UNLIMITED, 0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(bucket.tryTake(0));
        }
        assertTrue(bucket.isFull(0));
    }
}
