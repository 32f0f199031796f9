package org.nostrgpu.app;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which configuration file a subcommand reads: its {@code --config} option, else the file named by its environment
 * variable, else none (the built-in defaults).
 *
 * @param environmentVariable e.g. {@code NOSTR_RELAY_CONFIG}
 */
record ConfigFileSource(String environmentVariable) {

    /** The configuration file to read, or null for the built-in defaults. */
    Path choose(Path cliConfig, Map<String, String> env) {
        if (cliConfig != null) {
            return cliConfig;
        }
        String fromEnv = env.get(environmentVariable);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.strip());
    }

    /** For the start-up log: the absolute path of {@code file}, or why the built-in defaults apply. */
    String describe(Path file) {
        return file == null ? "built-in defaults (no --config, " + environmentVariable + " not set)"
                : file.toAbsolutePath().toString();
    }
}
