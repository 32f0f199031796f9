package org.nostrgpu.bench.bulk;

import io.vertx.core.Vertx;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A relay database (the store's own schema) filled with rows that have real (created_at, id) pairs and a
 * placeholder instead of a signed event: what negentropy reconciles, at a scale signing could not reach quickly.
 * Rows are drawn from a seeded sequence, so two databases can share exactly the rows the benchmark wants.
 */
public final class SyntheticDatabase {
    private static final int PER_TRANSACTION = 50_000;

    private SyntheticDatabase() {
    }

    /** The {@code index}-th row of the sequence {@code seed}: created_at within a year, a random id. */
    public record Row(long createdAt, byte[] id) {
        public static Row of(long seed, long index) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
            byte[] id = new byte[32];
            random.nextBytes(id);
            return new Row(1_700_000_000L + random.nextInt(31_536_000), id);
        }
    }

    /** Which rows a database holds. */
    @FunctionalInterface
    public interface Selection {
        /** @return the seed and index of the {@code n}-th row, or null when there are no more */
        long[] row(long n);
    }

    /** Creates {@code <dir>/nostr.sqlite3} with the store's schema and the selected rows. */
    public static Path create(Path dir, Selection rows) throws Exception {
        Path file = dir.resolve(StoreOptions.FILE_NAME);
        Vertx vertx = Vertx.vertx();
        try {
            SqliteEventStore.open(vertx, StoreOptions.forFile(file, 1, 100)).await(60, TimeUnit.SECONDS)
                    .close().await(60, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(60, TimeUnit.SECONDS);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement pragmas = connection.createStatement()) {
            pragmas.execute("PRAGMA synchronous = OFF");
            connection.setAutoCommit(false);
            long seq = nextSeq(connection);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO events (seq, id, pubkey, created_at, kind, json) VALUES (?, ?, ?, ?, 1, '{}')")) {
                byte[] pubkey = new byte[32];
                long n = 0;
                for (long[] next = rows.row(n); next != null; next = rows.row(++n)) {
                    Row row = Row.of(next[0], next[1]);
                    insert.setLong(1, seq++);
                    insert.setBytes(2, row.id());
                    insert.setBytes(3, pubkey);
                    insert.setLong(4, row.createdAt());
                    insert.addBatch();
                    if ((n + 1) % PER_TRANSACTION == 0) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
        }
        return file;
    }

    private static long nextSeq(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(max(seq), 0) + 1 FROM events")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
