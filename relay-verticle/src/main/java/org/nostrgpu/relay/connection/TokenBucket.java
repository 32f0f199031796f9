package org.nostrgpu.relay.connection;

import org.nostrgpu.common.config.RateLimit;

/**
 * A token bucket: starts full with {@code burst} tokens and refills at {@code perSecond} per second, never above
 * {@code burst}. An unlimited {@link RateLimit} always grants. Thread-safe: the buckets of one address are shared
 * by connections on different event loops.
 */
final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final RateLimit limit;
    private double tokens;
    private long lastRefillNanos;

    TokenBucket(RateLimit limit, long nowNanos) {
        this.limit = limit;
        this.tokens = limit.burst();
        this.lastRefillNanos = nowNanos;
    }

    synchronized boolean tryTake(long nowNanos) {
        if (limit.unlimited()) {
            return true;
        }
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** True when the bucket holds all it can: nothing would be lost by forgetting it. */
    synchronized boolean isFull(long nowNanos) {
        if (limit.unlimited()) {
            return true;
        }
        refill(nowNanos);
        return tokens >= limit.burst();
    }

    RateLimit limit() {
        return limit;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(limit.burst(), tokens + elapsed * limit.perSecond() / NANOS_PER_SECOND);
            lastRefillNanos = nowNanos;
        }
    }
}
