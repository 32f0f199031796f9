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
                    return SqliteTransactions.inTransaction(writePool, Schema::create);
                });
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
