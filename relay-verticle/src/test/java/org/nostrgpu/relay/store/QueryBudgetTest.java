package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a reader thread's connection (one thread, so every statement below runs on the same connection), a client's
 * statement that runs past the budget is interrupted; the next ones get their own budget, also the same SQL run
 * again after its kept statement failed; the store's own statements are not bounded.
 */
class QueryBudgetTest {
    /** Counts to a billion: many seconds of SQLite work, unless interrupted. */
    private static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
            + "WHERE x < 1000000000) SELECT count(*) FROM c";
    /** Counts to two million: far more than 50 ms of SQLite work on any machine this runs on, yet it ends. */
    private static final String LONG = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
            + "WHERE x < 2000000) SELECT count(*) FROM c";
    /** Rows one by one: the budget also runs out while the caller reads rows, not only in the first step. */
    private static final String ENDLESS_ROWS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
            + "WHERE x < 1000000000) SELECT x FROM c";

    @TempDir
    Path dir;
    private SqliteThreads reader;

    @BeforeEach
    void open() {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("budget.sqlite3"));
        reader = new SqliteThreads("budget-test", 1, sqlite, 50);
    }

    @AfterEach
    void close() throws Exception {
        reader.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientStatementPastTheBudgetIsInterruptedAndTheConnectionStaysUsable() throws Exception {
        assertInterrupted(client(ENDLESS, List.of()));
        Thread.sleep(100); // idle time does not count against the next statement
        assertEquals(42, await(client("SELECT ?1 + 1", List.of(41L))));
        assertInterrupted(client(ENDLESS, List.of()));
        assertInterrupted(reader.submit(connection -> {
            long read = 0;
            try (ResultSet rows = connection.budgeted(ENDLESS_ROWS, List.of()).executeQuery()) {
                while (rows.next()) {
                    read++;
                }
            }
            return read;
        }));
        assertEquals(2_000_000, await(reader.submit(connection -> first(connection.prepared(LONG, List.of())
                .executeQuery()))), "the store's own statement runs to its end");
        assertEquals(42, await(client("SELECT ?1 + 1", List.of(41L))), "the kept statements work after failures");
        assertFalse(QueryBudget.exceeded(new SQLException("no such table: x")));
    }

    @Test
    void withoutABudgetNothingIsInterrupted() throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("unbounded.sqlite3"));
        SqliteThreads unbounded = new SqliteThreads("unbounded-test", 1, sqlite, 0);
        try {
            assertEquals(2_000_000, await(unbounded.submit(connection ->
                    first(connection.budgeted(LONG, List.of()).executeQuery()))));
        } finally {
            unbounded.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private Future<Long> client(String sql, List<Object> params) {
        return reader.submit(connection -> first(connection.budgeted(sql, params).executeQuery()));
    }

    private static void assertInterrupted(Future<Long> query) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> await(query));
        assertTrue(QueryBudget.exceeded(failed.getCause()), failed.getCause().toString());
    }

    private static long await(Future<Long> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static long first(ResultSet rows) throws SQLException {
        try (rows) {
            assertTrue(rows.next());
            return rows.getLong(1);
        }
    }
}
