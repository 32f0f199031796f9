package org.nostrgpu.common.config;

import java.util.Map;

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
 * @param verification         verification path, fallback and worker request settings
 * @param abuse                rates, connection caps, timeouts and per-connection bounds against abusive clients
 * @param auth                 NIP-42 authentication and what it is required for
 * @param writePolicy          which events the operator accepts: NIP-13 proof of work, pubkeys and kinds
 */
public record RelayConfig(String host, int port, String dataDir, Limits limits, RelayInfo info,
                          int verifierThreads, int verifyBatchSize, int writeBatchSize, int readPoolSize,
                          long gcIntervalSeconds, int eventLoops, VerificationSettings verification,
                          AbuseLimits abuse, AuthSettings auth, WritePolicy writePolicy) {

    /** With the default {@link VerificationSettings} and {@link AbuseLimits}. */
    public RelayConfig(String host, int port, String dataDir, Limits limits, RelayInfo info,
                       int verifierThreads, int verifyBatchSize, int writeBatchSize, int readPoolSize,
                       long gcIntervalSeconds, int eventLoops) {
        this(host, port, dataDir, limits, info, verifierThreads, verifyBatchSize, writeBatchSize, readPoolSize,
                gcIntervalSeconds, eventLoops, VerificationSettings.defaults());
    }

    /** With the default {@link AbuseLimits} and {@link AuthSettings}. */
    public RelayConfig(String host, int port, String dataDir, Limits limits, RelayInfo info,
                       int verifierThreads, int verifyBatchSize, int writeBatchSize, int readPoolSize,
                       long gcIntervalSeconds, int eventLoops, VerificationSettings verification) {
        this(host, port, dataDir, limits, info, verifierThreads, verifyBatchSize, writeBatchSize, readPoolSize,
                gcIntervalSeconds, eventLoops, verification, AbuseLimits.defaults(), AuthSettings.defaults(),
                WritePolicy.open());
    }

    public static RelayConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new RelayConfig("0.0.0.0", 6969, "./data", Limits.defaults(), RelayInfo.defaults(),
                cores, 1024, 1000, Math.max(2, cores), 300, cores, VerificationSettings.defaults(),
                AbuseLimits.defaults(), AuthSettings.defaults(), WritePolicy.open());
    }

    /**
     * This configuration with the {@code HOST} and {@code PORT} variables of {@code env} applied, when set and
     * not blank. Pass {@code System.getenv()} in production and a plain map in tests.
     *
     * @throws ConfigException when PORT is not a whole number from 0 to 65535
     */
    public RelayConfig withEnvironment(Map<String, String> env) {
        RelayConfig result = this;
        String envHost = env.get("HOST");
        if (envHost != null && !envHost.isBlank()) {
            result = result.withHost(envHost.strip());
        }
        String envPort = env.get("PORT");
        if (envPort != null && !envPort.isBlank()) {
            result = result.withPort(parsePort(envPort.strip(), "PORT environment variable"));
        }
        return result;
    }

    public RelayConfig withHost(String newHost) {
        if (newHost == null || newHost.isBlank()) {
            throw new ConfigException("host must not be empty");
        }
        return new RelayConfig(newHost, port, dataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, auth, writePolicy);
    }

    public RelayConfig withPort(int newPort) {
        if (newPort < 0 || newPort > 65_535) {
            throw new ConfigException("port must be from 0 to 65535, got " + newPort);
        }
        return new RelayConfig(host, newPort, dataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, auth, writePolicy);
    }

    public RelayConfig withDataDir(String newDataDir) {
        if (newDataDir == null || newDataDir.isBlank()) {
            throw new ConfigException("data directory must not be empty");
        }
        return new RelayConfig(host, port, newDataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, auth, writePolicy);
    }

    public RelayConfig withLimits(Limits newLimits) {
        return new RelayConfig(host, port, dataDir, newLimits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, auth, writePolicy);
    }

    public RelayConfig withVerifierThreads(int threads) {
        if (threads < 1) {
            throw new ConfigException("verifier threads must be at least 1, got " + threads);
        }
        return new RelayConfig(host, port, dataDir, limits, info, threads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, auth, writePolicy);
    }

    /** With at least these batch sizes (bulk tools raise them: a few large transactions cost less per event). */
    public RelayConfig withBatchSizesAtLeast(int minVerifyBatchSize, int minWriteBatchSize) {
        return new RelayConfig(host, port, dataDir, limits, info, verifierThreads,
                Math.max(verifyBatchSize, minVerifyBatchSize), Math.max(writeBatchSize, minWriteBatchSize),
                readPoolSize, gcIntervalSeconds, eventLoops, verification);
    }

    public RelayConfig withVerification(VerificationSettings newVerification) {
        return new RelayConfig(host, port, dataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, newVerification, abuse, auth, writePolicy);
    }

    public RelayConfig withAbuse(AbuseLimits newAbuse) {
        return new RelayConfig(host, port, dataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, newAbuse, auth, writePolicy);
    }

    public RelayConfig withAuth(AuthSettings newAuth) {
        return new RelayConfig(host, port, dataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, newAuth, writePolicy);
    }

    public RelayConfig withWritePolicy(WritePolicy newPolicy) {
        return new RelayConfig(host, port, dataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, auth, newPolicy);
    }

    private static int parsePort(String text, String what) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 0 && value <= 65_535) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending text
        }
        throw new ConfigException(what + " must be a whole number from 0 to 65535, got \"" + text + "\"");
    }
}
