package org.nostrgpu.relay.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A statement that runs past the budget is interrupted; the next ones on the same connection get their own budget. */
class QueryBudgetTest {
    /** Counts to a billion: many seconds of SQLite work, unless interrupted. */
    private static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
            + "WHERE x < 1000000000) SELECT count(*) FROM c";

    @TempDir
    Path dir;

    @Test
    void aStatementPastTheBudgetIsInterruptedAndTheConnectionStaysUsable() throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("budget.sqlite3"));
        DataSource budgeted = QueryBudget.limit(sqlite, 50);
        try (Connection connection = budgeted.getConnection();
             PreparedStatement endless = connection.prepareStatement(ENDLESS);
             PreparedStatement quick = connection.prepareStatement("SELECT 41 + 1")) {
            SQLException interrupted = assertThrows(SQLException.class, () -> endless.executeQuery().next());
            assertTrue(QueryBudget.exceeded(interrupted), interrupted.toString());
            Thread.sleep(100); // idle time does not count against the next statement
            try (ResultSet rows = quick.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(42, rows.getInt(1));
            }
            try (PreparedStatement endlessAgain = connection.prepareStatement(ENDLESS)) {
                SQLException again = assertThrows(SQLException.class, () -> endlessAgain.executeQuery().next());
                assertTrue(QueryBudget.exceeded(again), "each statement gets the whole budget: " + again);
            }
        }
        assertFalse(QueryBudget.exceeded(new SQLException("no such table: x")));
    }
}
