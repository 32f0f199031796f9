package org.nostrgpu.common.config;

/**
 * Everything an operator can set for a relay node. Loaded from YAML by {@link ConfigLoader};
 * the {@code HOST} and {@code PORT} environment variables and command-line options override the file.
 *
 * @param host                 listen address
 * @param port                 listen port (6969 by default)
 * @param dataDir              directory holding {@code nostr.sqlite3}
 * @param limits               protocol limits
 * @param info                 NIP-11 document fields
 * @param verifierThreads      CPU verification threads (default: available processors)
 * @param verifyBatchSize      most signatures sent to the verifier in one batch
 * @param writeBatchSize       most events stored in one SQLite transaction
 * @param readPoolSize         SQLite read connections serving REQ and COUNT
 * @param gcIntervalSeconds    how often expired events are removed and the WAL checkpointed
 * @param eventLoops           relay verticle instances (each on its own event loop)
 */
public record RelayConfig(String host, int port, String dataDir, Limits limits, RelayInfo info,
                          int verifierThreads, int verifyBatchSize, int writeBatchSize, int readPoolSize,
                          long gcIntervalSeconds, int eventLoops) {

    public static RelayConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new RelayConfig("0.0.0.0", 6969, "./data", Limits.defaults(), RelayInfo.defaults(),
                cores, 1024, 1000, Math.max(2, cores), 300, cores);
    }
}
