package org.nostrgpu.relay.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.common.negentropy.Negentropy;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * NIP-77 for a relay node: the limits, a small worker pool for the blocking steps (computing fingerprints) and a
 * {@link NegentropySessions} per connection. A session's items are read by the store's readers under the same
 * bounds as a REQ: in the connection's turn for stored queries and within a time budget of their own.
 */
public final class NegentropyService {
    /** Worker threads for negentropy steps: they never hold up REQ and EVENT handling beyond these. */
    static final int WORKER_THREADS = 2;

    private final StoredItemsReader store;
    private final NegentropyLimits limits;
    private final LongSupplier nowSeconds;
    private final WorkerExecutor executor;
    private final Vertx vertx;
    private final Set<NegentropySessions> connections = ConcurrentHashMap.newKeySet();
    private final long sweepTimer;

    public NegentropyService(Vertx vertx, StoredItemsReader store, NegentropyLimits limits, LongSupplier nowSeconds) {
        this.store = store;
        this.limits = limits;
        this.nowSeconds = nowSeconds;
        this.executor = vertx.createSharedWorkerExecutor("nostr-negentropy-" + System.identityHashCode(this),
                WORKER_THREADS);
        this.vertx = vertx;
        long idleNanos = limits.idleSeconds() * 1_000_000_000L;
        this.sweepTimer = vertx.setPeriodic(Math.max(1_000, limits.idleSeconds() * 500L), ignored -> {
            long now = System.nanoTime();
            connections.forEach(sessions -> sessions.expireIdle(now, idleNanos));
        });
    }

    /**
     * The sessions of one connection, answering through {@code replies}, loading their items in the connection's
     * turn ({@code turn} runs {@link #itemsMatching} when the connection's and the node's query queues let it).
     */
    public NegentropySessions sessionsFor(NegentropySessions.Replies replies, NegentropySessions.QueryTurn turn) {
        NegentropySessions sessions = new NegentropySessions(this, replies, turn);
        connections.add(sessions);
        return sessions;
    }

    /** A connection closed. */
    void forget(NegentropySessions sessions) {
        connections.remove(sessions);
    }

    /** The items of the stored events matching {@code filter}, read on the store's readers. */
    Future<ItemSet> itemsMatching(Filter filter) {
        return store.negentropyItems(filter, nowSeconds.getAsLong(), limits.maxItems(), limits.budgetMillis());
    }

    /**
     * Where a client's session reads its items: the node's store ({@code EventStore#negentropyItems}), which runs
     * the query of {@link StoredItems} on its readers within the budget.
     */
    @FunctionalInterface
    public interface StoredItemsReader {
        Future<ItemSet> negentropyItems(Filter filter, long nowSeconds, int maxItems, long budgetMillis);
    }

    int maxSessionsPerConnection() {
        return limits.maxSessionsPerConnection();
    }

    int frameSizeLimit() {
        return limits.frameSizeLimit();
    }

    <T> Future<T> runBlocking(Callable<T> work) {
        return executor.executeBlocking(work, false);
    }

    public Future<Void> close() {
        vertx.cancelTimer(sweepTimer);
        connections.clear();
        return executor.close();
    }

    /**
     * @param maxItems                 most events one session may reconcile (its items are held in memory, 40 bytes
     *                                 each); a filter matching more gets {@code NEG-ERR "blocked: ..."}
     * @param maxSessionsPerConnection open sessions per connection
     * @param frameSizeLimit           most bytes of one negentropy message this relay writes (hex doubles it)
     * @param idleSeconds              a session whose client sends nothing for this long is dropped (NEG-ERR
     *                                 "closed: ..."), freeing its items
     * @param budgetMillis             longest reading one session's items may take ({@code negentropy-budget-ms});
     *                                 past it the session ends with {@code NEG-ERR "error: ..."}; 0 no bound
     */
    public record NegentropyLimits(int maxItems, int maxSessionsPerConnection, int frameSizeLimit, int idleSeconds,
                                   long budgetMillis) {
        public static final int DEFAULT_MAX_ITEMS = 2_000_000;
        public static final int DEFAULT_MAX_SESSIONS = 4;
        public static final int DEFAULT_IDLE_SECONDS = 60;

        public NegentropyLimits {
            if (maxItems < 0 || maxSessionsPerConnection < 1 || idleSeconds < 1 || budgetMillis < 0
                    || (frameSizeLimit != 0 && frameSizeLimit < Negentropy.MIN_FRAME_SIZE_LIMIT)) {
                throw new IllegalArgumentException("invalid negentropy limits: " + maxItems + ", "
                        + maxSessionsPerConnection + ", " + frameSizeLimit + ", " + idleSeconds + ", " + budgetMillis);
            }
        }

        /** Messages of at most half the largest client message (hex doubles them), so a peer like this one reads them. */
        public static NegentropyLimits forMaxMessageBytes(int maxMessageBytes, long budgetMillis) {
            return new NegentropyLimits(DEFAULT_MAX_ITEMS, DEFAULT_MAX_SESSIONS,
                    Math.max(Negentropy.MIN_FRAME_SIZE_LIMIT, maxMessageBytes / 2 - 1_024), DEFAULT_IDLE_SECONDS,
                    budgetMillis);
        }
    }
}
