package org.nostrgpu.app;

import org.nostrgpu.common.config.RelayConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** {@code --data} and {@code --config}: which relay database the bulk commands (import, export, sync) work on. */
final class DatabaseOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "The relay's data directory, holding nostr.sqlite3 (default: data-dir of the configuration "
                    + "file, else ./data). The relay may be running: SQLite's WAL lets both use the file.")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The relay's YAML configuration file (default: the file named by NOSTR_RELAY_CONFIG, else "
                    + "built-in defaults): its data-dir, limits and batch sizes apply.")
    Path configFile;

    /** The relay configuration these options and {@code env} select (HOST and PORT play no part here). */
    RelayConfig resolve(Map<String, String> env) {
        return RelayConfigResolver.resolve(RelayConfigResolver.configFile(configFile, env), null, null, dataDir, env);
    }
}
