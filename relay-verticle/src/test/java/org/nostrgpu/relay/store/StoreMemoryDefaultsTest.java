package org.nostrgpu.relay.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The store's memory is bounded by default: every connection, reader or writer, has a page cache of
 * {@link StoreOptions#DEFAULT_CACHE_KIB} and maps nothing, so the relay holds at most (readers + 1) caches of the
 * database whatever its size (a mapped file's touched pages would count once per connection).
 */
class StoreMemoryDefaultsTest {

    @Test
    void everyConnectionHasABoundedCacheAndNoMemoryMap(@TempDir Path dir) throws Exception {
        StoreOptions options = StoreOptions.forFile(dir.resolve("nostr.sqlite3"), 2, 100);
        assertBounded(SqliteDataSources.writer(options));
        assertBounded(SqliteDataSources.reader(options));
    }

    private static void assertBounded(SQLiteDataSource source) throws Exception {
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
            assertEquals(-StoreOptions.DEFAULT_CACHE_KIB, single(statement, "PRAGMA cache_size"), "KiB, as a negative");
            assertEquals(0, single(statement, "PRAGMA mmap_size"));
        }
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
