package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the schema on an empty database, migrates a version 2 database to version 3, and refuses databases
 * written by any other schema version. Version 1 (ids as hex text, never released) is not migrated: the operator
 * starts with a fresh data directory.
 */
final class Schema {
    static final int VERSION = 3;
    /** The previous released version, migrated by {@value #MIGRATION} in one transaction. */
    static final int PREVIOUS_VERSION = 2;
    /**
     * Page size of a new database. Bigger pages mean fewer pages in each index, so a group commit of random ids and
     * pubkeys dirties (and writes to the WAL) fewer pages per event; see package-info for the measurements.
     */
    static final int PAGE_SIZE_BYTES = 16_384;
    private static final String RESOURCE = "schema.sql";
    private static final String MIGRATION = "migrate-2-to-3.sql";
    /**
     * Rows ANALYZE samples per index ({@code PRAGMA analysis_limit}): enough for the planner's choices on the
     * statements that do not name their index, and quick on a database of any size.
     */
    static final int ANALYSIS_LIMIT = 1000;

    private Schema() {
    }

    /** Applies {@code schema.sql} in one transaction when {@code PRAGMA user_version} is 0. */
    static Future<Void> apply(Pool writePool) {
        return writePool.query("PRAGMA user_version").execute()
                .map(rows -> rows.iterator().next().getInteger(0))
                .compose(version -> {
                    if (version == VERSION) {
                        return Future.succeededFuture();
                    }
                    if (version > VERSION) {
                        return Future.failedFuture(new IllegalStateException("database schema version " + version
                                + " is newer than this relay supports (" + VERSION + "): run a newer relay"));
                    }
                    if (version == PREVIOUS_VERSION) {
                        return SqliteTransactions.inTransaction(writePool,
                                connection -> run(connection, statements(MIGRATION)));
                    }
                    if (version != 0) {
                        return Future.failedFuture(new IllegalStateException("database schema version " + version
                                + " was written by an older development build and cannot be upgraded (expects "
                                + VERSION + "): start the relay with a fresh, empty data directory"));
                    }
                    return setPageSize(writePool).compose(v -> SqliteTransactions.inTransaction(writePool, Schema::create));
                });
    }

    /**
     * The writer connection opened the empty file in WAL mode, which fixes its page size; an empty database leaves
     * WAL, takes the new size with a (instant) VACUUM, and goes back to WAL.
     */
    private static Future<Void> setPageSize(Pool writePool) {
        return writePool.withConnection(connection -> connection.query("PRAGMA journal_mode = DELETE").execute()
                .compose(v -> connection.query("PRAGMA page_size = " + PAGE_SIZE_BYTES).execute())
                .compose(v -> connection.query("VACUUM").execute())
                .compose(v -> connection.query("PRAGMA journal_mode = WAL").execute())
                .compose(rows -> {
                    String mode = rows.iterator().next().getString(0);
                    return "wal".equalsIgnoreCase(mode) ? Future.<Void>succeededFuture()
                            : Future.failedFuture(new IllegalStateException("could not switch the database to WAL: " + mode));
                }));
    }

    private static Future<Void> create(SqlConnection connection) {
        return run(connection, statements());
    }

    /** Runs the statements in order, then sets the version. */
    private static Future<Void> run(SqlConnection connection, List<String> statements) {
        Future<Void> chain = Future.succeededFuture();
        for (String statement : statements) {
            chain = chain.compose(v -> connection.query(statement).execute().mapEmpty());
        }
        return chain.compose(v -> connection.query("PRAGMA user_version = " + VERSION).execute().mapEmpty());
    }

    /**
     * Gives the planner statistics where they are missing or stale ({@code PRAGMA optimize}, sampling at most
     * {@link #ANALYSIS_LIMIT} rows per index). The REQ statements name their index and do not depend on them; the
     * write path's statements and COUNT do.
     */
    static Future<Void> refreshStatistics(Pool writePool) {
        return writePool.withConnection(connection -> connection.query("PRAGMA analysis_limit = " + ANALYSIS_LIMIT)
                .execute()
                .compose(v -> connection.query("PRAGMA optimize = 0x10002").execute())
                .mapEmpty());
    }

    /** The statements of the schema. */
    static List<String> statements() {
        return statements(RESOURCE);
    }

    /** The statements of a resource, which separates them with lines holding only ";". */
    static List<String> statements(String resource) {
        String script;
        try (InputStream in = Schema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> statements = new ArrayList<>();
        for (String part : script.split("\\R;\\R")) {
            if (!part.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
                statements.add(part.strip());
            }
        }
        return statements;
    }
}
