package org.nostrgpu.relay.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bulk loading of a database this process has just created: the indexes that only REQs walk are dropped, tag rows go
 * to {@code tags_pending} (keyed by the append-only event seq, so each commit dirties only its last pages), and at
 * the end the tag rows are inserted into {@code tags} in key order and the indexes are built by {@code CREATE INDEX},
 * which sorts once: far cheaper than keeping random-keyed B-trees up to date event by event.
 *
 * <p>Every state is a complete, consistent database: the deferred state is recognised by {@code tags_pending}, and
 * {@link #complete} (run by every store open, by the bulk loader at its end and at close) finishes it in one
 * transaction. An import stopped by SIGKILL leaves its committed events in the deferred state, and whoever opens the
 * file next builds the indexes; a relay started on the file during the import does so at its open, after which the
 * import's writer sees {@code tags_pending} gone and writes the normal way ({@link #active}).
 *
 * <p>What stays: the events table and its unique id index (duplicates), {@code events_by_address} (replaceable and
 * addressable versions, deletion by address), {@code events_by_expiration}, the tombstone tables, and a trigger
 * that removes a deleted event's pending tag rows. The write path uses only those.
 */
final class DeferredIndexes {
    /** The indexes of {@code schema.sql} that only REQs use. */
    static final List<String> DEFERRED = List.of("events_by_author", "events_by_author_kind", "events_by_kind",
            "events_by_time");

    static final String PENDING_TABLE = "tags_pending";

    /** Parameters as {@link WriteSql#INSERT_TAG}. */
    static final String INSERT_PENDING_TAG = """
            INSERT INTO tags_pending (event_seq, name, value, created_at, kind, event_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)""";

    private static final List<String> DEFER = List.of("""
            CREATE TABLE tags_pending (
                event_seq  INTEGER NOT NULL,
                name       TEXT    NOT NULL,
                value      BLOB    NOT NULL,
                created_at INTEGER NOT NULL,
                kind       INTEGER NOT NULL,
                event_id   BLOB    NOT NULL,
                PRIMARY KEY (event_seq, name, value)
            ) WITHOUT ROWID""", """
            CREATE TRIGGER events_delete_pending_tags AFTER DELETE ON events
            BEGIN
                DELETE FROM tags_pending WHERE event_seq = old.seq;
            END""");

    /** In the key order of {@code tags}, so the B-tree is filled from left to right. */
    private static final List<String> MERGE = List.of("""
            INSERT INTO tags (name, value, created_at, event_id, kind, event_seq)
            SELECT name, value, created_at, event_id, kind, event_seq FROM tags_pending
            ORDER BY name, value, created_at DESC, event_id""",
            "DROP TRIGGER events_delete_pending_tags",
            "DROP TABLE tags_pending");

    private static final Pattern CREATE_INDEX = Pattern.compile("^CREATE INDEX (\\w+) ", Pattern.MULTILINE);

    private DeferredIndexes() {
    }

    /** Puts a database with the full schema and no events into the deferred state; on the writer's connection. */
    static void defer(CachedConnection connection) throws SQLException {
        WriteTransaction.inTransaction(connection, () -> {
            for (String index : DEFERRED) {
                connection.execute("DROP INDEX " + index);
            }
            for (String statement : DEFER) {
                connection.execute(statement);
            }
            return null;
        });
    }

    /** One row: how many tables mark the deferred state (0 or 1). */
    static final String ACTIVE = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '"
            + PENDING_TABLE + "'";

    /** Whether the database is in the deferred state (call inside a transaction for an answer that holds in it). */
    static boolean active(CachedConnection connection) throws SQLException {
        return connection.queryLong(ACTIVE) > 0;
    }

    /**
     * Moves pending tag rows into {@code tags} and creates every index of {@code schema.sql} that is missing, in one
     * transaction; nothing to do (one catalogue read) when the database is complete.
     *
     * @return whether anything was built
     */
    static boolean complete(CachedConnection connection) throws SQLException {
        return WriteTransaction.inTransaction(connection, () -> {
            boolean pending = active(connection);
            List<String> missing = missingIndexes(connection);
            if (!pending && missing.isEmpty()) {
                return false;
            }
            if (pending) {
                for (String statement : MERGE) {
                    connection.execute(statement);
                }
            }
            for (String statement : missing) {
                connection.execute(statement);
            }
            return true;
        });
    }

    /** The CREATE INDEX statements of {@code schema.sql} whose index the database lacks. */
    private static List<String> missingIndexes(CachedConnection connection) throws SQLException {
        Set<String> present = new java.util.HashSet<>();
        try (java.sql.Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'")) {
            while (rows.next()) {
                present.add(rows.getString(1));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String statement : Schema.statements()) {
            Matcher index = CREATE_INDEX.matcher(statement);
            if (index.find() && !present.contains(index.group(1))) {
                missing.add(statement);
            }
        }
        return missing;
    }
}
