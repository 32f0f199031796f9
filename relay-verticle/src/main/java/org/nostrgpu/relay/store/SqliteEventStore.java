package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.nostrgpu.common.batch.AdaptiveBatcher;
import org.nostrgpu.common.config.StartupException;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@link EventStore} on SQLite through the Vert.x JDBC client: one write connection that group-commits
 * concurrent {@link #store} calls (one transaction per batch, each future completed after COMMIT), and a pool of
 * read-only connections for queries and id lookups, which WAL lets run while the writer commits.
 */
public final class SqliteEventStore implements EventStore {
    private static final System.Logger LOG = System.getLogger(SqliteEventStore.class.getName());

    /**
     * Each pool's name tags its Vert.x pool metrics: two pools under the default name would register the same
     * gauges twice (Micrometer warns and keeps only the first pool's).
     */
    static final String WRITE_POOL_NAME = "sqlite-writer";
    static final String READ_POOL_NAME = "sqlite-readers";

    /** Expired events are removed in transactions of at most this many, so group commits are not held up. */
    static final int EXPIRED_CHUNK = 5_000;

    /** Parameter: a JSON array of hex ids; one row (index in the array, stored, deleted by its author) per id. */
    private static final String LOOKUP_SQL = """
            SELECT j.key,
                   EXISTS (SELECT 1 FROM events e WHERE e.id = unhex(j.value)),
                   EXISTS (SELECT 1 FROM deleted_ids t WHERE t.id = unhex(j.value) AND t.confirmed = 1)
            FROM json_each(?1) j""";

    /** Read inside each write transaction: the first free seq, whoever wrote last. */
    private static final String NEXT_SEQ = "SELECT coalesce(max(seq), 0) + 1 FROM events";

    private final Pool writePool;
    private final Pool readPool;
    private final KnownIds knownIds;
    private final AdaptiveBatcher<Event, StoreOutcome> writer;
    private final AdaptiveBatcher<String, StoreOutcome> lookups;
    private final Object closeLock = new Object();
    /** Next events.seq; used only by the write batch in progress (the writer runs one batch at a time). */
    private long nextSeq;
    private int pendingWrites;
    private boolean closing;
    private Promise<Void> drained;
    private volatile WriteObserver writeObserver = (events, nanos) -> { };

    /** Told of every write transaction the writer finished (committed or not): its events and duration. */
    @FunctionalInterface
    public interface WriteObserver {
        void written(int events, long nanos);
    }

    private SqliteEventStore(Pool writePool, Pool readPool, long nextSeq, StoreOptions options) {
        this.writePool = writePool;
        this.readPool = readPool;
        this.nextSeq = nextSeq;
        this.knownIds = KnownIds.load(readPool, nextSeq);
        this.writer = new AdaptiveBatcher<>("sqlite-writer", options.writeBatchSize(), 1, options.maxQueuedWrites(),
                this::writeBatch);
        this.lookups = new AdaptiveBatcher<>("sqlite-id-lookup", options.lookupBatchSize(),
                Math.max(1, options.readPoolSize() / 2), AdaptiveBatcher.UNBOUNDED, this::lookupBatch);
    }

    /** Opens (creating when absent) the database file and its schema. */
    public static Future<SqliteEventStore> open(Vertx vertx, StoreOptions options) {
        Path directory = options.file().toAbsolutePath().getParent();
        Future<Void> directoryReady = vertx.executeBlocking(() -> {
            DataDirectory.prepare(directory);
            return null;
        });
        return directoryReady.compose(v -> {
            Pool writePool = JDBCPool.pool(vertx, SqliteDataSources.writer(options),
                    new PoolOptions().setMaxSize(1).setName(WRITE_POOL_NAME));
            return Schema.apply(writePool)
                    .compose(x -> writePool.query(NEXT_SEQ).execute())
                    .map(rows -> {
                        long nextSeq = rows.iterator().next().getLong(0);
                        Pool readPool = JDBCPool.pool(vertx, SqliteDataSources.reader(options),
                                new PoolOptions().setMaxSize(options.readPoolSize()).setName(READ_POOL_NAME));
                        return new SqliteEventStore(writePool, readPool, nextSeq, options);
                    })
                    // the file is released before the failure is reported, so callers may delete it at once
                    .recover(failure -> writePool.close().transform(closed -> Future.failedFuture(
                            failure instanceof SQLException ? new StartupException(
                                    "database " + options.file().toAbsolutePath() + ": " + failure.getMessage(), failure)
                                    : failure)));
        });
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
        return readPool.preparedQuery(LOOKUP_SQL).execute(Tuple.of(hexIds.encode())).map(rows -> {
            for (Row row : rows) {
                int index = asked.get(row.getInteger(0));
                if (row.getInteger(1) == 1) {
                    outcomes.set(index, StoreOutcome.DUPLICATE);
                } else if (row.getInteger(2) == 1) {
                    outcomes.set(index, StoreOutcome.DELETED);
                }
            }
            return outcomes;
        });
    }

    @Override
    public Future<StoreOutcome> store(Event event) {
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
        return writer.submit(event).andThen(done -> writeFinished());
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
    Future<List<StoreOutcome>> writeBatch(List<Event> events) {
        for (Event event : events) {
            // before the write, so no lookup can find the filter without an id that is already stored or deleted
            knownIds.add(event.id());
            if (event.kind() == 5) {
                DeletionTargets.of(event).ids().forEach(knownIds::add);
            }
        }
        long started = System.nanoTime();
        return SqliteTransactions.inTransaction(writePool, connection -> connection.query(NEXT_SEQ).execute()
                .compose(next -> {
                    // another process (import, sync) may have appended rows since this store opened
                    nextSeq = Math.max(nextSeq, next.iterator().next().getLong(0));
                    List<EventRow> rows = new ArrayList<>(events.size());
                    for (Event event : events) {
                        rows.add(EventRow.of(nextSeq++, event));
                    }
                    return new WriteTransaction(connection, rows).run();
                }))
                .andThen(done -> writeObserver.written(events.size(), System.nanoTime() - started));
    }

    /** Replaces the observer of write transactions (metrics). */
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

    @Override
    public Future<List<String>> query(List<Filter> filters, int maxLimit, long nowSeconds) {
        return FilterSql.selectJoined(filters, maxLimit, nowSeconds)
                .map(statement -> readPool.preparedQuery(statement.sql()).execute(statement.params())
                        .map(rows -> splitLines(rows.iterator().next().getString(0))))
                .orElseGet(() -> Future.succeededFuture(List.of()));
    }

    private static List<String> splitLines(String joined) {
        if (joined == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int end = joined.indexOf('\n'); end >= 0; end = joined.indexOf('\n', start)) {
            lines.add(joined.substring(start, end));
            start = end + 1;
        }
        lines.add(joined.substring(start));
        return lines;
    }

    @Override
    public Future<Long> count(List<Filter> filters, long nowSeconds) {
        return FilterSql.count(filters, nowSeconds)
                .map(statement -> readPool.preparedQuery(statement.sql()).execute(statement.params())
                        .map(rows -> rows.iterator().next().getLong(0)))
                .orElseGet(() -> Future.succeededFuture(0L));
    }

    @Override
    public Future<Integer> removeExpired(long nowSeconds) {
        return removeExpiredChunks(nowSeconds, 0).compose(removed -> writePool
                .preparedQuery("PRAGMA wal_checkpoint(PASSIVE)").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    LOG.log(System.Logger.Level.DEBUG, "WAL checkpoint: busy={0}, frames in WAL={1}, checkpointed={2}",
                            row.getInteger(0), row.getInteger(1), row.getInteger(2));
                    return removed;
                }));
    }

    /** Each chunk commits on its own, so writers queued behind the GC wait for one chunk at most. */
    private Future<Integer> removeExpiredChunks(long nowSeconds, int removedSoFar) {
        return writePool.preparedQuery(WriteSql.DELETE_EXPIRED_CHUNK).execute(Tuple.of(nowSeconds, EXPIRED_CHUNK))
                .compose(result -> {
                    int removed = removedSoFar + result.rowCount();
                    return result.rowCount() < EXPIRED_CHUNK ? Future.succeededFuture(removed)
                            : removeExpiredChunks(nowSeconds, removed);
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
                .compose(v -> writePool.query("PRAGMA optimize").execute().<Void>mapEmpty().recover(failure -> {
                    LOG.log(System.Logger.Level.WARNING, "PRAGMA optimize failed on close", failure);
                    return Future.succeededFuture();
                }))
                .eventually(() -> readPool.close())
                .eventually(() -> writePool.close());
    }
}
