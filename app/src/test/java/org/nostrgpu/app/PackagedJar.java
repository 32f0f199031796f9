package org.nostrgpu.app;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the multi-process tests run and where they put the children's logs (set by failsafe in app/pom.xml). */
final class PackagedJar {
    private PackagedJar() {
    }

    /** The built jar; fails the test when it has not been packaged. */
    static Path path() {
        Path jar = Path.of(System.getProperty("nostr.app.jar", "target/nostr-gpu-relay.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the IT runs the packaged jar; build it first (mvn package): " + jar);
        return jar;
    }

    static Path logDir() {
        return Path.of(System.getProperty("nostr.it.logs", "target/it-logs")).toAbsolutePath();
    }
}
