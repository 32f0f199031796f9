package org.nostrgpu.relay.connection;

import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.AuthSettings;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The abuse limits and NIP-42 settings every connection of the node applies, with the state they share: the per-address connection
 * counts and buckets, the fair scheduling of stored queries, and counters of what the limits did (exported as metrics by the node). One per node, given
 * to every {@link ClientConnection} and {@link HttpConnectionGuard}.
 */
public final class ConnectionGuards {
    private final AbuseLimits limits;
    private final AuthSettings auth;
    private final AddressLimits addresses;
    private final FairQueries queries;
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder slowReadersDisconnected = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final AtomicLong highestPendingOutput = new AtomicLong();

    /**
     * @param auth       NIP-42 settings: challenge, what needs authentication
     * @param querySlots stored queries the node runs at once (its read connections)
     */
    public ConnectionGuards(AbuseLimits limits, AuthSettings auth, int querySlots) {
        this.limits = limits;
        this.auth = auth;
        this.addresses = new AddressLimits(limits);
        this.queries = new FairQueries(querySlots);
    }

    public AbuseLimits limits() {
        return limits;
    }

    public AuthSettings auth() {
        return auth;
    }

    public AddressLimits addresses() {
        return addresses;
    }

    /** The node's stored queries, round-robin by address. */
    public FairQueries queries() {
        return queries;
    }

    /** TCP connections closed when accepted because their address had too many. */
    public long refusedConnections() {
        return refusedConnections.sum();
    }

    /** Connections disconnected because their unsent output passed the bound. */
    public long slowReadersDisconnected() {
        return slowReadersDisconnected.sum();
    }

    /** EVENT, REQ and COUNT messages answered "rate-limited:". */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** The most unsent output any connection has had at once, in bytes. */
    public long highestPendingOutput() {
        return highestPendingOutput.get();
    }

    void connectionRefused() {
        refusedConnections.increment();
    }

    void slowReaderDisconnected(long highestPending) {
        slowReadersDisconnected.increment();
        pendingOutputSeen(highestPending);
    }

    void rateLimitedOnce() {
        rateLimited.increment();
    }

    void pendingOutputSeen(long bytes) {
        highestPendingOutput.accumulateAndGet(bytes, Math::max);
    }
}
