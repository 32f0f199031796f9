package org.nostrgpu.relay.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's memory is bounded by default: no connection maps the file (a mapped file's touched pages would count
 * once per connection), the writer has a page cache of {@link StoreOptions#DEFAULT_CACHE_KIB}, and the readers share
 * {@link StoreOptions#READERS_CACHE_BUDGET_KIB} (each at most the writer's, at least
 * {@link StoreOptions#MIN_READER_CACHE_KIB}), whatever the size of the database and however many cores set the
 * number of readers.
 */
class StoreMemoryDefaultsTest {

    @Test
    void everyConnectionHasABoundedCacheAndNoMemoryMap(@TempDir Path dir) throws Exception {
        StoreOptions options = StoreOptions.forFile(dir.resolve("nostr.sqlite3"), 2, 100);
        assertBounded(SqliteDataSources.writer(options), StoreOptions.DEFAULT_CACHE_KIB);
        assertBounded(SqliteDataSources.reader(options), StoreOptions.DEFAULT_CACHE_KIB);
    }

    @Test
    void manyReadersShareOneBudget(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nostr.sqlite3");
        // the writer creates the file the read-only connections open
        assertBounded(SqliteDataSources.writer(StoreOptions.forFile(file, 64, 100)), StoreOptions.DEFAULT_CACHE_KIB);
        assertBounded(SqliteDataSources.reader(StoreOptions.forFile(file, 8, 100)), 8 * 1024);
        assertBounded(SqliteDataSources.reader(StoreOptions.forFile(file, 16, 100)), 4 * 1024);
        assertBounded(SqliteDataSources.reader(StoreOptions.forFile(file, 64, 100)), StoreOptions.MIN_READER_CACHE_KIB);
        for (int readers = 1; readers <= 16; readers++) {
            StoreOptions options = StoreOptions.forFile(file, readers, 100);
            assertTrue(readers * options.readerCacheKiB() <= StoreOptions.READERS_CACHE_BUDGET_KIB,
                    readers + " readers of " + options.readerCacheKiB() + " KiB");
        }
    }

    private static void assertBounded(SQLiteDataSource source, int cacheKiB) throws Exception {
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
            assertEquals(-cacheKiB, single(statement, "PRAGMA cache_size"), "KiB, as a negative");
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
