package org.nostrgpu.relay.info;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The relay's version, written into {@code version.properties} by the build. */
public final class RelayVersion {
    private static final String VERSION = load();

    private RelayVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = RelayVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through: an unreadable resource only costs the version string
        }
        return "unknown";
    }
}
