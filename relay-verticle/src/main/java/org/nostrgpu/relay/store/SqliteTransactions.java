package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.function.Function;

/**
 * Explicit {@code BEGIN IMMEDIATE ... COMMIT} on a pooled connection.
 *
 * <p>Not {@code Pool.withTransaction}: Vert.x 5's JDBC client leaves the JDBC connection in manual-commit mode
 * after COMMIT, and sqlite-jdbc then opens the next transaction at once, so every later statement on that
 * connection (GC deletes, checkpoints) would run inside a transaction nobody commits, and
 * {@code PRAGMA wal_checkpoint} fails with SQLITE_LOCKED. Issuing the statements ourselves keeps the connection
 * in auto-commit mode between transactions. IMMEDIATE takes the write lock at BEGIN, so a transaction never fails
 * half-way upgrading a read lock.
 */
final class SqliteTransactions {
    private SqliteTransactions() {
    }

    static <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
        return pool.withConnection(connection -> connection.query("BEGIN IMMEDIATE").execute()
                .compose(begun -> {
                    Future<T> done;
                    try {
                        done = work.apply(connection);
                    } catch (RuntimeException e) {
                        done = Future.failedFuture(e);
                    }
                    return done
                            .compose(result -> connection.query("COMMIT").execute().map(committed -> result))
                            .recover(failure -> rollback(connection, failure));
                }));
    }

    private static <T> Future<T> rollback(SqlConnection connection, Throwable failure) {
        // after a failed COMMIT SQLite may already have rolled back; then ROLLBACK fails, harmlessly
        return connection.query("ROLLBACK").execute().transform(ignored -> Future.failedFuture(failure));
    }
}
