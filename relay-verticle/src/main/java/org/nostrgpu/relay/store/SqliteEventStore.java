package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import org.nostrgpu.common.batch.AdaptiveBatcher;
import org.nostrgpu.common.config.StartupException;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.relay.sync.StoredItems;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@link EventStore} on SQLite through sqlite-jdbc ({@link SqliteThreads}): one writer thread that group-commits
 * concurrent {@link #store} calls (one transaction per batch, each future completed after COMMIT), and reader
 * threads with read-only connections for queries and id lookups, which WAL lets run while the writer commits.
 */
public final class SqliteEventStore implements EventStore {
    private static final System.Logger LOG = System.getLogger(SqliteEventStore.class.getName());

    /** Expired events are removed in transactions of at most this many, so group commits are not held up. */
    static final int EXPIRED_CHUNK = 5_000;

    /** Parameter: a JSON array of hex ids; one row (index in the array, stored, deleted by its author) per id. */
    private static final String LOOKUP_SQL = """
            SELECT j.key,
                   EXISTS (SELECT 1 FROM events e WHERE e.id = unhex(j.value)),
                   EXISTS (SELECT 1 FROM deleted_ids t WHERE t.id = unhex(j.value) AND t.confirmed = 1)
            FROM json_each(?1) j""";

    /** Read inside each write transaction: the first free seq, whoever wrote last. */
    static final String NEXT_SEQ = "SELECT coalesce(max(seq), 0) + 1 FROM events";

    private final SqliteThreads writerThread;
    private final SqliteThreads readers;
    private final KnownIds knownIds;
    private final AdaptiveBatcher<PendingWrite, StoreOutcome> writer;
    private final AdaptiveBatcher<String, StoreOutcome> lookups;
    private final Object closeLock = new Object();
    private final StoreOptions options;
    /** Next events.seq; used only on the writer thread, by the write batch in progress. */
    private long nextSeq;
    /**
     * Whether this store is bulk-loading with deferred indexes; used only on the writer thread. Another process that
     * opens the file builds them, so each transaction checks again while it is true.
     */
    private boolean indexesDeferred;
    private int pendingWrites;
    private boolean closing;
    private Promise<Void> drained;
    private volatile WriteObserver writeObserver = (events, nanos) -> { };
    /** Why the last group commit failed; null after a successful one ({@link #writeProblem}). */
    private volatile String writeFailure;

    /** Told of every write transaction the writer finished (committed or not): its events and duration. */
    @FunctionalInterface
    public interface WriteObserver {
        void written(int events, long nanos);
    }

    private SqliteEventStore(SqliteThreads writerThread, SqliteThreads readers, Opened opened, StoreOptions options) {
        this.writerThread = writerThread;
        this.readers = readers;
        this.nextSeq = opened.nextSeq();
        this.indexesDeferred = opened.indexesDeferred();
        this.options = options;
        this.knownIds = KnownIds.load(readers, opened.nextSeq());
        this.writer = new AdaptiveBatcher<>("sqlite-writer", options.writeBatchSize(), 1, options.maxQueuedWrites(),
                this::writeBatch);
        this.lookups = new AdaptiveBatcher<>("sqlite-id-lookup", options.lookupBatchSize(),
                Math.max(1, options.readPoolSize() / 2), AdaptiveBatcher.UNBOUNDED, this::lookupBatch);
    }

    /**
     * Opens (creating when absent) the database file and its schema. Indexes left unbuilt by a bulk load that did not
     * finish ({@link DeferredIndexes}) are built first.
     */
    public static Future<SqliteEventStore> open(Vertx vertx, StoreOptions options) {
        return open(vertx, options, false);
    }

    /**
     * Like {@link #open}, for loading many events: when this call creates the database, the indexes only REQs use are
     * built once at the end ({@link #completeIndexes}, or {@link #close}, or whoever opens the file next) instead of
     * event by event ({@link DeferredIndexes}). An existing database is written the normal way, since a relay may be
     * serving it.
     */
    public static Future<SqliteEventStore> openForBulkLoad(Vertx vertx, StoreOptions options) {
        return open(vertx, options, true);
    }

    private static Future<SqliteEventStore> open(Vertx vertx, StoreOptions options, boolean bulkLoad) {
        Path directory = options.file().toAbsolutePath().getParent();
        Future<Void> directoryReady = vertx.executeBlocking(() -> {
            DataDirectory.prepare(directory);
            return null;
        });
        return directoryReady.compose(v -> {
            SqliteThreads writerThread = new SqliteThreads("sqlite-writer", 1, SqliteDataSources.writer(options));
            return writerThread.submit(connection -> {
                        boolean deferred = Schema.apply(connection) && bulkLoad;
                        if (deferred) {
                            DeferredIndexes.defer(connection);
                        } else {
                            buildDeferredIndexes(connection, options);
                        }
                        Schema.refreshStatistics(connection);
                        return new Opened(connection.queryLong(NEXT_SEQ), deferred);
                    })
                    // the readers open the file once its schema exists
                    .map(opened -> new SqliteEventStore(writerThread, new SqliteThreads("sqlite-reader",
                            options.readPoolSize(), SqliteDataSources.reader(options), options.queryBudgetMillis()),
                            opened, options))
                    // the file is released before the failure is reported, so callers may delete it at once
                    .recover(failure -> writerThread.close().transform(closed -> Future.failedFuture(
                            failure instanceof SQLException ? new StartupException(
                                    "database " + options.file().toAbsolutePath() + ": " + failure.getMessage(), failure)
                                    : failure)));
        });
    }

    /**
     * Whether the database behind {@code connection} (any connection, read-only ones included) is being bulk-loaded
     * with its query indexes deferred ({@link #openForBulkLoad}): until they are built, readers outside a store
     * would scan and sort where they normally walk an index.
     */
    public static boolean isBulkLoading(java.sql.Connection connection) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(DeferredIndexes.ACTIVE)) {
            return rows.next() && rows.getLong(1) > 0;
        }
    }

    /** What the writer found at open: the next seq, and whether this store bulk-loads with deferred indexes. */
    private record Opened(long nextSeq, boolean indexesDeferred) {
    }

    private static void buildDeferredIndexes(CachedConnection connection, StoreOptions options) throws SQLException {
        long started = System.nanoTime();
        if (DeferredIndexes.complete(connection)) {
            LOG.log(System.Logger.Level.INFO, "{0}: built the indexes a bulk load had deferred, in {1} ms",
                    options.file(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public Future<Boolean> isKnown(String id) {
        return lookup(id).map(Optional::isPresent);
    }

    /**
     * Like {@link #isKnown}, saying why: {@link StoreOutcome#DUPLICATE} when stored,
     * {@link StoreOutcome#DELETED} when its author deleted it here; empty when unknown. An id named by a
     * deletion whose event was never seen here stays unknown (the deletion may be someone else's claim on it):
     * {@link #store} refuses that event if its author is the deleter's pubkey.
     */
    public Future<Optional<StoreOutcome>> lookup(String id) {
        if (knownIds.certainlyUnknown(id)) {
            return Future.succeededFuture(Optional.empty());
        }
        return lookups.submit(id).map(Optional::ofNullable);
    }

    /** Ids that are not 64 lowercase hex cannot be stored, so they are unknown without asking SQLite. */
    private Future<List<StoreOutcome>> lookupBatch(List<String> ids) {
        List<StoreOutcome> outcomes = new ArrayList<>(Collections.nCopies(ids.size(), null));
        List<Integer> asked = new ArrayList<>(ids.size());
        JsonArray hexIds = new JsonArray();
        for (int i = 0; i < ids.size(); i++) {
            if (StoredValues.isKey(ids.get(i))) {
                asked.add(i);
                hexIds.add(ids.get(i));
            }
        }
        if (asked.isEmpty()) {
            return Future.succeededFuture(outcomes);
        }
        return readers.submit(connection -> {
            try (ResultSet rows = connection.prepared(LOOKUP_SQL, List.of(hexIds.encode())).executeQuery()) {
                while (rows.next()) {
                    int index = asked.get(rows.getInt(1));
                    if (rows.getInt(2) == 1) {
                        outcomes.set(index, StoreOutcome.DUPLICATE);
                    } else if (rows.getInt(3) == 1) {
                        outcomes.set(index, StoreOutcome.DELETED);
                    }
                }
            }
            return outcomes;
        });
    }

    @Override
    public Future<StoreOutcome> store(Event event) {
        return store(PendingWrite.of(event));
    }

    @Override
    public Future<StoreOutcome> store(Event event, String canonicalJson) {
        return store(new PendingWrite(event, canonicalJson));
    }

    private Future<StoreOutcome> store(PendingWrite pending) {
        Event event = pending.event();
        if (!EventRow.isStorable(event)) {
            return Future.failedFuture(new IllegalArgumentException(
                    "ephemeral events are never stored (kind " + event.kind() + ")"));
        }
        synchronized (closeLock) {
            if (closing) {
                return Future.failedFuture(new IllegalStateException("event store is closed"));
            }
            pendingWrites++;
        }
        return writer.submit(pending).andThen(done -> writeFinished());
    }

    @Override
    public List<Future<StoreOutcome>> storeAll(List<Event> events) {
        for (Event event : events) {
            if (!EventRow.isStorable(event)) {
                return events.stream().map(this::store).toList(); // refuses the ephemeral ones one by one
            }
        }
        synchronized (closeLock) {
            if (closing) {
                Future<StoreOutcome> closed = Future.failedFuture(new IllegalStateException("event store is closed"));
                return events.stream().map(event -> closed).toList();
            }
            pendingWrites += events.size();
        }
        return writer.submitAll(events.stream().map(PendingWrite::of).toList()).stream()
                .map(future -> future.andThen(done -> writeFinished())).toList();
    }

    private void writeFinished() {
        Promise<Void> toComplete = null;
        synchronized (closeLock) {
            pendingWrites--;
            if (closing && pendingWrites == 0 && drained != null) {
                toComplete = drained;
                drained = null;
            }
        }
        if (toComplete != null) {
            toComplete.complete();
        }
    }

    /** One group commit; called by the writer batcher, one batch at a time (tests call it directly to force a group). */
    Future<List<StoreOutcome>> writeBatch(List<PendingWrite> events) {
        for (PendingWrite pending : events) {
            Event event = pending.event();
            // before the write, so no lookup can find the filter without an id that is already stored or deleted
            knownIds.add(event.id());
            if (event.kind() == 5) {
                DeletionTargets.of(event).ids().forEach(knownIds::add);
            }
        }
        return writerThread.submit(connection -> {
            long started = System.nanoTime();
            try {
                return WriteTransaction.inTransaction(connection, () -> {
                    // another process (import, sync) may have appended rows since this store opened
                    try (ResultSet next = connection.prepared(NEXT_SEQ).executeQuery()) {
                        next.next();
                        nextSeq = Math.max(nextSeq, next.getLong(1));
                    }
                    List<EventRow> rows = new ArrayList<>(events.size());
                    for (PendingWrite pending : events) {
                        rows.add(EventRow.of(nextSeq++, pending));
                    }
                    indexesDeferred = indexesDeferred && DeferredIndexes.active(connection);
                    return WriteTransaction.store(connection, rows,
                            indexesDeferred ? DeferredIndexes.INSERT_PENDING_TAG : WriteSql.INSERT_TAG);
                });
            } finally {
                writeObserver.written(events.size(), System.nanoTime() - started);
            }
        }).onComplete(written -> writeFailure = written.succeeded() ? null : describe(written.cause()));
    }

    /**
     * Empty while writes succeed; after a group commit failed (a file system turned read-only, an I/O error, a full
     * disk), what failed, until a commit succeeds again. While failing, each call tries a real commit that changes
     * nothing (the schema version set to itself: a WAL frame like any commit's), so the answer clears once the cause
     * is gone even when no events arrive (a node out of a load balancer's rotation gets none). On a nearly full disk
     * that small commit may succeed where a large event does not: the answer is then empty, which is true for
     * small events.
     */
    public Future<Optional<String>> writeProblem() {
        if (writeFailure == null) {
            return Future.succeededFuture(Optional.empty());
        }
        return writerThread.submit(connection -> WriteTransaction.inTransaction(connection, () -> {
                    connection.execute("PRAGMA user_version = " + connection.queryLong("PRAGMA user_version"));
                    return Optional.<String>empty();
                }))
                .onSuccess(fine -> writeFailure = null)
                .otherwise(failure -> Optional.of(describe(failure)));
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /**
     * Builds the indexes this store deferred ({@link #openForBulkLoad}) after the writes submitted so far; completes
     * with whether it built any (false when none were deferred or another process built them).
     */
    public Future<Boolean> completeIndexes() {
        return writerThread.submit(connection -> {
            if (!indexesDeferred) {
                return false;
            }
            indexesDeferred = false;
            long started = System.nanoTime();
            boolean built = DeferredIndexes.complete(connection);
            if (built) {
                LOG.log(System.Logger.Level.INFO, "{0}: built the deferred indexes in {1} ms", options.file(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            return built;
        });
    }

    /** Replaces the observer of write transactions (metrics); it is called on the writer thread. */
    public void observeWrites(WriteObserver observer) {
        writeObserver = observer;
    }

    /** Completes once the ids stored at open are in the known-id filter (see {@link KnownIds#loaded()}). */
    Future<Long> knownIdsLoaded() {
        return knownIds.loaded();
    }

    /** Transactions the writer committed (or tried) since open; less than the stores when grouping happened. */
    public long writeTransactions() {
        return writer.batchesSent();
    }

    /** Completes on a reader thread (see {@link SqliteThreads}). */
    @Override
    public Future<StoredEvents> queryEvents(List<Filter> filters, int maxLimit, long nowSeconds) {
        List<FilterRead> reads = new ArrayList<>(filters.size());
        for (Filter filter : filters) {
            int limit = filter.limit() == null ? maxLimit : Math.min(filter.limit(), maxLimit);
            List<FilterSql.Statement> statements = FilterSql.select(filter, limit, nowSeconds);
            if (!statements.isEmpty()) {
                reads.add(new FilterRead(statements, limit));
            }
        }
        if (reads.isEmpty()) {
            return Future.succeededFuture(StoredEvents.NONE);
        }
        return readers.submit(connection -> read(connection, reads));
    }

    /** One filter's statements and its limit. */
    private record FilterRead(List<FilterSql.Statement> statements, int limit) {
        boolean answersInOrder() {
            return statements.size() == 1 && statements.get(0).ordered();
        }
    }

    /**
     * A single filter read by one ordered statement is the answer as read; otherwise each filter's rows are put in
     * order and cut to its limit, then the filters' answers are merged, an event matched twice kept once.
     */
    private static StoredEvents read(CachedConnection connection, List<FilterRead> reads)
            throws SQLException {
        if (reads.size() == 1 && reads.get(0).answersInOrder()) {
            return StoredEvents.of(rows(connection, reads.get(0).statements().get(0), new ArrayList<>()));
        }
        List<StoredEvents.Row> all = new ArrayList<>();
        for (FilterRead read : reads) {
            List<StoredEvents.Row> rows = new ArrayList<>();
            for (FilterSql.Statement statement : read.statements()) {
                rows(connection, statement, rows);
            }
            all.addAll(read.answersInOrder() ? rows : StoredEvents.inOrder(rows, read.limit()));
        }
        return StoredEvents.of(StoredEvents.inOrder(all, -1));
    }

    /** Appends the statement's (created_at, id, json) rows as read. */
    private static List<StoredEvents.Row> rows(CachedConnection connection, FilterSql.Statement statement,
                                               List<StoredEvents.Row> into) throws SQLException {
        try (ResultSet rows = connection.budgeted(statement.sql(), statement.params()).executeQuery()) {
            while (rows.next()) {
                into.add(new StoredEvents.Row(rows.getLong(1), rows.getBytes(3)));
            }
        }
        return into;
    }

    @Override
    public Future<Long> count(List<Filter> filters, long nowSeconds) {
        FilterSql.Statement statement = FilterSql.count(filters, nowSeconds);
        if (statement == null) {
            return Future.succeededFuture(0L);
        }
        return readers.submit(connection -> {
            try (ResultSet rows = connection.budgeted(statement.sql(), statement.params()).executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public Future<ItemSet> negentropyItems(Filter filter, long nowSeconds, int maxItems, long budgetMillis) {
        if (filter.matchesNothing()) {
            return Future.succeededFuture(new ItemSet.Builder(0).build());
        }
        List<Object> params = new ArrayList<>();
        String sql = StoredItems.select(filter, nowSeconds, params);
        return readers.<ItemSet>submit(connection -> StoredItems.read(connection.budgeted(sql, params, budgetMillis),
                        maxItems))
                .recover(failure -> Future.failedFuture(QueryBudget.exceeded(failure)
                        ? new StoredItems.OverBudgetException(budgetMillis, failure) : failure));
    }

    @Override
    public Future<Integer> removeExpired(long nowSeconds) {
        return removeExpiredChunks(nowSeconds, 0).compose(removed -> writerThread.submit(connection -> {
            try (java.sql.Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                row.next();
                LOG.log(System.Logger.Level.DEBUG, "WAL checkpoint: busy={0}, frames in WAL={1}, checkpointed={2}",
                        row.getInt(1), row.getInt(2), row.getInt(3));
            }
            return removed;
        }));
    }

    /**
     * Each chunk commits on its own and is a task of its own on the writer thread, so group commits queued behind
     * the GC wait for one chunk at most.
     */
    private Future<Integer> removeExpiredChunks(long nowSeconds, int removedSoFar) {
        return writerThread.submit(connection -> {
            PreparedStatement delete = connection.prepared(WriteSql.DELETE_EXPIRED_CHUNK, List.of(nowSeconds, (long) EXPIRED_CHUNK));
            return delete.executeUpdate();
        }).compose(count -> {
            int removed = removedSoFar + count;
            return count < EXPIRED_CHUNK ? Future.succeededFuture(removed) : removeExpiredChunks(nowSeconds, removed);
        });
    }

    /** Stops accepting writes, waits for the queued ones to commit, then closes every connection. */
    @Override
    public Future<Void> close() {
        Future<Void> writesDone;
        synchronized (closeLock) {
            if (closing) {
                return Future.failedFuture(new IllegalStateException("event store already closed"));
            }
            closing = true;
            if (pendingWrites == 0) {
                writesDone = Future.succeededFuture();
            } else {
                drained = Promise.promise();
                writesDone = drained.future();
            }
        }
        return writesDone
                .compose(v -> knownIds.stop())
                .compose(v -> completeIndexes().<Void>mapEmpty().recover(failure -> {
                    LOG.log(System.Logger.Level.WARNING, "building the deferred indexes failed; the next open of "
                            + options.file() + " builds them", failure);
                    return Future.succeededFuture();
                }))
                .compose(v -> writerThread.<Void>submit(connection -> {
                    connection.execute("PRAGMA optimize");
                    return null;
                }).recover(failure -> {
                    LOG.log(System.Logger.Level.WARNING, "PRAGMA optimize failed on close", failure);
                    return Future.succeededFuture();
                }))
                .eventually(() -> readers.close())
                .eventually(() -> writerThread.close());
    }
}
