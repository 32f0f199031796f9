package org.nostrgpu.relay.store;

import org.nostrgpu.common.config.RelayConfig;

import java.nio.file.Path;

/**
 * How the SQLite event store is opened and tuned.
 *
 * @param file               the database file (created with its directory when absent)
 * @param readPoolSize       read connections serving REQ, COUNT and id lookups
 * @param writeBatchSize     most events group-committed in one transaction
 * @param maxQueuedWrites    events waiting for the writer beyond which {@code store} fails at once
 *                           ({@link org.nostrgpu.common.batch.BatcherOverloadedException}) instead of growing memory
 * @param lookupBatchSize    most ids checked by one {@code isKnown} query
 * @param cacheSizeKiB       page cache of the write connection, and the most any read connection gets
 *                           ({@link #readerCacheKiB})
 * @param mmapSizeBytes      memory-mapped I/O window per connection (0 disables)
 * @param busyTimeoutMillis  how long a connection waits for a lock before failing
 * @param queryBudgetMillis  longest one statement of a client's query (REQ or COUNT) may run on a read connection
 *                           before it is interrupted ({@link QueryBudget}); 0 for no bound
 */
public record StoreOptions(Path file, int readPoolSize, int writeBatchSize, int maxQueuedWrites, int lookupBatchSize,
                           int cacheSizeKiB, long mmapSizeBytes, int busyTimeoutMillis, long queryBudgetMillis) {

    public static final String FILE_NAME = "nostr.sqlite3";

    /** Without a query budget. */
    public StoreOptions(Path file, int readPoolSize, int writeBatchSize, int maxQueuedWrites, int lookupBatchSize,
                        int cacheSizeKiB, long mmapSizeBytes, int busyTimeoutMillis) {
        this(file, readPoolSize, writeBatchSize, maxQueuedWrites, lookupBatchSize, cacheSizeKiB, mmapSizeBytes,
                busyTimeoutMillis, 0);
    }

    public StoreOptions {
        if (readPoolSize < 1 || writeBatchSize < 1 || maxQueuedWrites < 0 || lookupBatchSize < 1
                || cacheSizeKiB < 0 || mmapSizeBytes < 0 || busyTimeoutMillis < 0 || queryBudgetMillis < 0) {
            throw new IllegalArgumentException("invalid store options: " + readPoolSize + ", " + writeBatchSize + ", "
                    + maxQueuedWrites + ", " + lookupBatchSize + ", " + cacheSizeKiB + ", " + mmapSizeBytes + ", "
                    + busyTimeoutMillis + ", " + queryBudgetMillis);
        }
    }

    /** The page cache of each connection by default. */
    public static final int DEFAULT_CACHE_KIB = 32 * 1024;
    /**
     * The read connections' page caches together, when there are more of them than this allows at
     * {@link #cacheSizeKiB} each: {@code read-pool-size} defaults to the number of cores, so on a 16-core host 32 MiB
     * per reader would be 512 MiB of cache, however small the heap default or the container's memory limit.
     */
    public static final int READERS_CACHE_BUDGET_KIB = 64 * 1024;
    /** The least page cache of a read connection, however many there are: the B-trees' upper levels stay in it. */
    public static final int MIN_READER_CACHE_KIB = 4 * 1024;

    /**
     * Defaults for a database file: a 32 MiB page cache for the writer and at most that for each reader
     * ({@link #readerCacheKiB}), no memory-mapped I/O, 5 s busy timeout.
     *
     * <p>Without mmap the relay's memory is bounded whatever the size of the database: at most the connections'
     * caches (32 MiB for the writer, 64 MiB for the readers together, 4 MiB each beyond sixteen readers); pages
     * beyond them come from the operating system's file cache, which is not the relay's. With mmap, each connection
     * maps the file on its own and every page it has touched counts in the process's resident memory once per
     * connection: two readers of a 196 MB database had 313 MB of it resident
     * after a query run, with the whole database over the 400 MiB target, and the figure grows with the database.
     * Reading pages with a system call instead costs about 15% more CPU per REQ (0.38 against 0.44 ms on the REQ
     * mix, 100 000 events, {@code relay-core-bench.sh query}; package-info).
     */
    public static StoreOptions forFile(Path file, int readPoolSize, int writeBatchSize) {
        return new StoreOptions(file, readPoolSize, writeBatchSize, writeBatchSize * 64, 512,
                DEFAULT_CACHE_KIB, 0, 5_000);
    }

    /**
     * Page cache of each read connection: {@link #cacheSizeKiB} while the readers fit in
     * {@link #READERS_CACHE_BUDGET_KIB} together, else their share of it, at least {@link #MIN_READER_CACHE_KIB}. Two
     * readers (two cores) get 32 MiB each; sixteen get 4 MiB each. Pages beyond a reader's cache come from the
     * operating system's file cache with a system call.
     */
    public int readerCacheKiB() {
        return Math.min(cacheSizeKiB, Math.max(MIN_READER_CACHE_KIB, READERS_CACHE_BUDGET_KIB / readPoolSize));
    }

    /** {@code <dataDir>/nostr.sqlite3} with the configured pool and batch sizes and query budget. */
    public static StoreOptions from(RelayConfig config) {
        return forFile(Path.of(config.dataDir()).resolve(FILE_NAME), config.readPoolSize(), config.writeBatchSize())
                .withQueryBudgetMillis(config.abuse().queryBudgetMillis());
    }

    public StoreOptions withQueryBudgetMillis(long millis) {
        return new StoreOptions(file, readPoolSize, writeBatchSize, maxQueuedWrites, lookupBatchSize,
                cacheSizeKiB, mmapSizeBytes, busyTimeoutMillis, millis);
    }

    public StoreOptions withFile(Path newFile) {
        return new StoreOptions(newFile, readPoolSize, writeBatchSize, maxQueuedWrites, lookupBatchSize,
                cacheSizeKiB, mmapSizeBytes, busyTimeoutMillis, queryBudgetMillis);
    }
}
