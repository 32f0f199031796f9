package org.nostrgpu.relay.connection;

/**
 * Token bucket for one connection's EVENT messages: up to {@code perSecond} at once, refilled at
 * {@code perSecond} per second. Zero means unlimited. Used only on the connection's own context.
 */
final class EventRateLimiter {
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final int perSecond;
    private double tokens;
    private long lastRefillNanos;

    EventRateLimiter(int perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastRefillNanos = nowNanos;
    }

    boolean tryAcquire(long nowNanos) {
        if (perSecond == 0) {
            return true;
        }
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(perSecond, tokens + elapsed * perSecond / NANOS_PER_SECOND);
            lastRefillNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
