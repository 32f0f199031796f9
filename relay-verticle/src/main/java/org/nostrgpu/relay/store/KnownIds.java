package org.nostrgpu.relay.store;

import io.vertx.core.Future;

import java.sql.ResultSet;
import java.util.List;

/**
 * Answers "certainly unknown" for most new event ids without a query: a {@link KnownIdFilter} filled from the
 * database when the store opens (in chunks, in the background) and with every id the writer is given. Until the
 * load has finished nothing is certain, so every id is looked up in SQLite as before.
 *
 * <p>The filter may hold ids that are not stored (refused, rolled back, deleted by a deletion naming someone
 * else's event): that only costs a query. It must never miss one that is stored or confirmed deleted, hence
 * {@link #add} is called before the write that stores it.
 */
final class KnownIds {
    private static final System.Logger LOG = System.getLogger(KnownIds.class.getName());
    private static final int LOAD_CHUNK = 100_000;
    /**
     * One row per chunk: how many ids, the last seq, and the ids' hex concatenated by SQLite, which loads 1 000 000
     * ids several times faster than a row per id through the JDBC client.
     */
    private static final String STORED_CHUNK = """
            SELECT count(*), max(seq), group_concat(hex(id), '')
            FROM (SELECT seq, id FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2)""";
    private static final String CONFIRMED_DELETED = "SELECT id FROM deleted_ids WHERE confirmed = 1";

    private final KnownIdFilter filter;
    private final int chunk;
    private final Future<Long> loaded;
    private volatile boolean ready;
    private volatile boolean stopped;

    private KnownIds(SqliteThreads readers, long expectedIds, int chunk) {
        this.filter = new KnownIdFilter(2 * expectedIds);
        this.chunk = chunk;
        long start = System.nanoTime();
        this.loaded = loadStored(readers, 0, 0)
                .compose(stored -> readers.submit(connection -> {
                    long added = 0;
                    try (ResultSet rows = connection.prepared(CONFIRMED_DELETED, List.of()).executeQuery()) {
                        while (rows.next()) {
                            filter.add(rows.getBytes(1));
                            added++;
                        }
                    }
                    return stored + added;
                }))
                .onSuccess(count -> {
                    ready = true;
                    LOG.log(System.Logger.Level.INFO, "known-id filter: {0} ids loaded in {1} ms ({2} KiB)", count,
                            (System.nanoTime() - start) / 1_000_000, filter.sizeBytes() / 1024);
                })
                .onFailure(failure -> {
                    if (!stopped) {
                        LOG.log(System.Logger.Level.WARNING,
                                "known-id filter not loaded, every duplicate check asks SQLite", failure);
                    }
                });
    }

    /** Starts loading the ids of the database behind {@code readers}; {@code expectedIds} sizes the filter. */
    static KnownIds load(SqliteThreads readers, long expectedIds) {
        return load(readers, expectedIds, LOAD_CHUNK);
    }

    /** With {@code chunk} ids read per query (tests use small chunks). */
    static KnownIds load(SqliteThreads readers, long expectedIds, int chunk) {
        return new KnownIds(readers, expectedIds, chunk);
    }

    /** Completes with the number of ids loaded once every id present at open is in the filter. */
    Future<Long> loaded() {
        return loaded;
    }

    /** Ends a load still running after its current chunk; the store closes its connections once it has. */
    Future<Void> stop() {
        stopped = true;
        return loaded.<Void>mapEmpty().otherwiseEmpty();
    }

    /** True only when the id is certainly neither stored nor confirmed deleted. */
    boolean certainlyUnknown(String id) {
        return ready && !filter.mightContain(id);
    }

    void add(String id) {
        filter.add(id);
    }

    private Future<Long> loadStored(SqliteThreads readers, long afterSeq, long loadedSoFar) {
        if (stopped) {
            return Future.failedFuture(new IllegalStateException("store closing"));
        }
        return readers.submit(connection -> {
            try (ResultSet row = connection.prepared(STORED_CHUNK, List.of(afterSeq, (long) chunk)).executeQuery()) {
                row.next();
                int count = row.getInt(1);
                if (count > 0) {
                    String ids = row.getString(3);
                    for (int offset = 0; offset < ids.length(); offset += StoredValues.KEY_HEX_LENGTH) {
                        filter.addHexAt(ids, offset);
                    }
                }
                return new long[] {count, row.getLong(2)};
            }
        }).compose(chunkRead -> chunkRead[0] < chunk ? Future.succeededFuture(loadedSoFar + chunkRead[0])
                : loadStored(readers, chunkRead[1], loadedSoFar + chunkRead[0]));
    }
}
