package org.nostrgpu.relay.connection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The slow-reader bound of one connection: every frame written to the client (stored events, live events, OK,
 * COUNT, NOTICE, CLOSED) is counted from the moment it is handed to the socket until the socket has written it, and
 * a connection whose unwritten output would pass {@code maxBytes} is refused further output, so the relay's memory
 * for a client that stops reading stays bounded. One frame larger than the bound is admitted while nothing else is
 * pending, so a client that reads can always receive a large answer.
 *
 * <p>Thread-safe: OK answers are written from whichever thread completes them.
 */
public final class OutboundLimit {
    private final long maxBytes;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong highestPending = new AtomicLong();

    public OutboundLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Counts {@code bytes} about to be written.
     *
     * @return false, counting nothing, when they would take the pending output past the bound
     */
    public boolean reserve(long bytes) {
        long before = pending.getAndAdd(bytes);
        if (before > 0 && before + bytes > maxBytes) {
            pending.addAndGet(-bytes);
            return false;
        }
        highestPending.accumulateAndGet(before + bytes, Math::max);
        return true;
    }

    /** The socket has written {@code bytes} that were reserved. */
    public void written(long bytes) {
        pending.addAndGet(-bytes);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes reserved and not written yet. */
    public long pending() {
        return pending.get();
    }

    /** The most ever pending at once on this connection. */
    public long highestPending() {
        return highestPending.get();
    }
}
