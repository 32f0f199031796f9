package org.nostrgpu.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Where a started relay or worker writes the URL of its own health endpoint, when {@value #ENV} names a file:
 * the container image's health check reads it, so it asks the right port whatever the options, the environment or
 * the configuration file chose. The file holds one line, the URL, or {@value #DISABLED} when the worker's health
 * server is off; it appears once the service has started and is deleted when it stops.
 */
final class HealthUrlFile {
    static final String ENV = "NOSTR_HEALTH_URL_FILE";
    static final String DISABLED = "disabled";

    private final Path file;

    private HealthUrlFile(Path file) {
        this.file = file;
    }

    /** The file named by the environment, or null when none is. */
    static HealthUrlFile from(Map<String, String> env) {
        String name = env.get(ENV);
        return name == null || name.isBlank() ? null : new HealthUrlFile(Path.of(name.strip()));
    }

    /**
     * The URL a process on the same machine uses: a wildcard listen address is reached on loopback.
     *
     * @param host the address listened on, as configured
     * @param port the port listened on; 0 when the server is disabled (the URL is then {@value #DISABLED})
     */
    static String url(String host, int port, String path) {
        if (port == 0) {
            return DISABLED;
        }
        String reachable = host == null || host.isBlank() || host.equals("0.0.0.0") ? "127.0.0.1"
                : host.equals("::") || host.equals("[::]") ? "[::1]"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + reachable + ":" + port + path;
    }

    /** Writes the URL, replacing the file at once so a reader never sees half of it. */
    void write(String url) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, ".health-url", ".tmp");
        Files.writeString(partial, url + "\n", StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the process is stopping; a stale file only makes the next health check fail to connect
        }
    }

    Path path() {
        return file;
    }
}
