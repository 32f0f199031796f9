package org.nostrgpu.app;

import org.nostrgpu.common.config.ConfigException;
import org.nostrgpu.common.config.ConfigLoader;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.VerificationSettings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where each relay setting comes from, highest first: command-line option, environment variable ({@code HOST},
 * {@code PORT}), configuration file ({@code --config}, else {@code NOSTR_RELAY_CONFIG}), built-in default.
 */
final class RelayConfigResolver {
    static final String CONFIG_ENV = "NOSTR_RELAY_CONFIG";
    static final ConfigFileSource CONFIG_FILE = new ConfigFileSource(CONFIG_ENV);

    private RelayConfigResolver() {
    }

    /** The configuration file to read, or null for the built-in defaults. */
    static Path configFile(Path cliConfig, Map<String, String> env) {
        return CONFIG_FILE.choose(cliConfig, env);
    }

    /**
     * @param cliHost    {@code --host}, or null
     * @param cliPort    {@code --port}, or null
     * @param cliDataDir {@code --data}, or null
     * @throws org.nostrgpu.common.config.ConfigException naming the file, variable or key that is wrong
     */
    static RelayConfig resolve(Path configFile, String cliHost, Integer cliPort, Path cliDataDir,
                               Map<String, String> env) {
        RelayConfig config = configFile == null ? ConfigLoader.defaults() : ConfigLoader.load(configFile);
        config = config.withEnvironment(env);
        if (cliHost != null) {
            config = config.withHost(cliHost);
        }
        if (cliPort != null) {
            config = config.withPort(cliPort);
        }
        if (cliDataDir != null) {
            config = config.withDataDir(cliDataDir.toString());
        }
        return config;
    }

    /**
     * The {@code --verification} and {@code --verification-fallback} options applied over {@code config}.
     *
     * @param cliMode     mode name (auto, embedded, cluster, local), or null
     * @param cliFallback fallback name (cpu, reject), or null
     */
    static RelayConfig withVerificationOptions(RelayConfig config, String cliMode, String cliFallback) {
        VerificationSettings settings = config.verification();
        if (cliMode != null) {
            VerificationSettings.Mode mode = VerificationSettings.Mode.fromConfigName(cliMode.strip());
            if (mode == null) {
                throw new ConfigException("--verification must be one of "
                        + String.join(", ", VerificationSettings.Mode.configNames()) + ", got \"" + cliMode + "\"");
            }
            settings = settings.withMode(mode);
        }
        if (cliFallback != null) {
            VerificationSettings.Fallback fallback = VerificationSettings.Fallback.fromConfigName(cliFallback.strip());
            if (fallback == null) {
                throw new ConfigException("--verification-fallback must be one of "
                        + String.join(", ", VerificationSettings.Fallback.configNames())
                        + ", got \"" + cliFallback + "\"");
            }
            settings = settings.withFallback(fallback);
        }
        return config.withVerification(settings);
    }
}
