package org.nostrgpu.common.config;

/** Reads a {@link RelayConfig} from YAML, filling absent keys with defaults. */
public final class ConfigLoader {
    private ConfigLoader() {
    }
}
