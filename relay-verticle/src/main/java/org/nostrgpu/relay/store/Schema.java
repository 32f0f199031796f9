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
 * Creates the schema on an empty database and refuses databases written by any other schema version. Version 1
 * (ids as hex text, never released) is not migrated: the operator starts with a fresh data directory.
 */
final class Schema {
    static final int VERSION = 2;
    /**
     * Page size of a new database. Bigger pages mean fewer pages in each index, so a group commit of random ids and
     * pubkeys dirties (and writes to the WAL) fewer pages per event; see package-info for the measurements.
     */
    static final int PAGE_SIZE_BYTES = 16_384;
    private static final String RESOURCE = "schema.sql";

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
        Future<Void> chain = Future.succeededFuture();
        for (String statement : statements()) {
            chain = chain.compose(v -> connection.query(statement).execute().mapEmpty());
        }
        return chain.compose(v -> connection.query("PRAGMA user_version = " + VERSION).execute().mapEmpty());
    }

    /** The statements of the resource, which separates them with lines holding only ";". */
    static List<String> statements() {
        String script;
        try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
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
