package org.nostrgpu.relay.store;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Connection settings for the one writer and the readers.
 *
 * <p>WAL journal with {@code synchronous=NORMAL}: a committed transaction survives a crash of the relay process
 * (the WAL is in the OS page cache and is replayed on open); an OS crash, a power loss or a file-system error that
 * turns the volume read-only (ext4 {@code errors=remount-ro} drops what it had not yet written) may lose the last
 * transactions committed before the next checkpoint's fsync or the kernel's writeback, but never corrupts the database.
 */
final class SqliteDataSources {
    /** The WAL file is cut back to this size when it is reset after a checkpoint. */
    static final int JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
    /**
     * WAL size at which a commit checkpoints it (SQLite's default is 1000 pages). A group commit of a few hundred
     * events with random ids and pubkeys dirties hundreds of index pages; every checkpoint copies each page dirtied
     * since the last one back into the database file once, so the rarer the checkpoints, the more commits of the same
     * hot index pages share one copy. Bounded so the WAL stays a bounded, re-used file.
     */
    static final long WAL_AUTOCHECKPOINT_BYTES = 256L * 1024 * 1024;
    static final int WAL_AUTOCHECKPOINT_PAGES = (int) (WAL_AUTOCHECKPOINT_BYTES / Schema.PAGE_SIZE_BYTES);

    private SqliteDataSources() {
    }

    static SQLiteDataSource writer(StoreOptions options) {
        SQLiteConfig config = common(options, options.cacheSizeKiB());
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setJournalSizeLimit(JOURNAL_SIZE_LIMIT_BYTES);
        config.setWalAutocheckpoint(WAL_AUTOCHECKPOINT_PAGES);
        return dataSource(options, config);
    }

    static SQLiteDataSource reader(StoreOptions options) {
        SQLiteConfig config = common(options, options.readerCacheKiB());
        config.setReadOnly(true);
        return dataSource(options, config);
    }

    private static SQLiteConfig common(StoreOptions options, int cacheKiB) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(options.busyTimeoutMillis());
        config.setCacheSize(-cacheKiB); // negative: KiB rather than pages
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(options.mmapSizeBytes()));
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return config;
    }

    private static SQLiteDataSource dataSource(StoreOptions options, SQLiteConfig config) {
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + options.file().toAbsolutePath());
        return dataSource;
    }
}
