package org.nostrgpu.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product logs through {@link System.Logger} only. java.util.logging is its backend, and only the classes that
 * configure that backend use it: the one-line format, Hazelcast's levels, the filter on Micrometer's logger.
 */
class LoggingApiTest {
    private static final Set<String> BACKEND_CONFIGURATION =
            Set.of("OneLineLogFormat.java", "HazelcastLogging.java", "VertxGaugeRepeats.java");
    private static final List<String> MODULES = List.of("common", "relay-verticle", "gpu-worker", "bench", "app");

    @Test
    void onlyTheBackendConfigurationUsesJavaUtilLogging() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> users;
        try (Stream<Path> files = MODULES.stream().map(module -> root.resolve(module).resolve("src/main/java"))
                .flatMap(LoggingApiTest::javaFiles)) {
            users = files.filter(file -> !BACKEND_CONFIGURATION.contains(file.getFileName().toString()))
                    .filter(LoggingApiTest::importsJavaUtilLogging)
                    .map(file -> root.relativize(file).toString())
                    .toList();
        }
        assertEquals(List.of(), users, "log through System.Logger");
        assertTrue(importsJavaUtilLogging(root.resolve("app/src/main/java/org/nostrgpu/app/OneLineLogFormat.java")),
                "the scan sees the backend configuration");
    }

    private static Stream<Path> javaFiles(Path sources) {
        try {
            return Files.walk(sources).filter(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean importsJavaUtilLogging(Path file) {
        try {
            return Files.readString(file).contains("import java.util.logging.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
