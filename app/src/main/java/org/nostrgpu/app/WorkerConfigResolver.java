package org.nostrgpu.app;

import org.nostrgpu.common.config.ConfigException;
import org.nostrgpu.common.config.ConfigLoader;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.worker.BackendChoice;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where each worker setting comes from, highest first: command-line option, configuration file
 * ({@code --config}, else {@code NOSTR_WORKER_CONFIG}), built-in default.
 */
final class WorkerConfigResolver {
    static final String CONFIG_ENV = "NOSTR_WORKER_CONFIG";
    static final ConfigFileSource CONFIG_FILE = new ConfigFileSource(CONFIG_ENV);

    private WorkerConfigResolver() {
    }

    /** The configuration file to read, or null for the built-in defaults. */
    static Path configFile(Path cliConfig, Map<String, String> env) {
        return CONFIG_FILE.choose(cliConfig, env);
    }

    /**
     * @param cliBackend    {@code --backend}, or null
     * @param cliCpuThreads {@code --cpu-threads}, or null
     * @param cliHealthHost {@code --health-host}, or null
     * @param cliHealthPort {@code --health-port}, or null
     * @throws ConfigException naming the file, option or key that is wrong
     */
    static WorkerConfig resolve(Path configFile, String cliBackend, Integer cliCpuThreads, String cliHealthHost,
                                Integer cliHealthPort) {
        WorkerConfig config = configFile == null ? WorkerConfig.defaults() : ConfigLoader.loadWorker(configFile);
        if (cliBackend != null) {
            config = config.withBackend(backend(cliBackend));
        }
        if (cliCpuThreads != null) {
            if (cliCpuThreads < 1) {
                throw new ConfigException("--cpu-threads must be at least 1, got " + cliCpuThreads);
            }
            config = config.withCpuThreads(cliCpuThreads);
        }
        if (cliHealthHost != null) {
            if (cliHealthHost.isBlank()) {
                throw new ConfigException("--health-host must not be empty");
            }
            config = config.withHealthHost(cliHealthHost.strip());
        }
        if (cliHealthPort != null) {
            config = config.withHealthPort(cliHealthPort);
        }
        return config;
    }

    private static String backend(String text) {
        try {
            return BackendChoice.parse(text).name().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--backend must be auto, cpu or cuda, got \"" + text + "\"");
        }
    }
}
