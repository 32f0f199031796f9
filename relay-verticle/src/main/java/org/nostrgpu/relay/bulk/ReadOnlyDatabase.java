package org.nostrgpu.relay.bulk;

import org.nostrgpu.common.config.StartupException;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A read-only JDBC connection to a relay's database file, for the relay's own work that streams through many rows
 * (export, the item lists of cluster catch-up and the sync tool) and would gain nothing from the store's readers
 * (a client's NEG-OPEN reads through those, under the query bounds). It reads while a relay
 * writes: WAL lets readers see the last committed state without blocking the writer.
 */
public final class ReadOnlyDatabase {
    private static final int BUSY_TIMEOUT_MS = 5_000;

    private ReadOnlyDatabase() {
    }

    /**
     * Opens {@code file}, which must exist and hold an {@code events} table.
     *
     * @throws StartupException naming the file when it is missing or not a relay database
     */
    public static Connection open(Path file) throws SQLException {
        if (!Files.isRegularFile(file)) {
            throw new StartupException("no relay database at " + file.toAbsolutePath()
                    + " (give the relay's data directory with --data)");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'")) {
            if (!tables.next() || tables.getInt(1) != 1) {
                throw new StartupException(file.toAbsolutePath() + " is not a relay database (no events table)");
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
