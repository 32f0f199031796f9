package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class HealthUrlFileTest {
    @TempDir
    Path tmp;

    @Test
    void aWildcardListenAddressIsAskedOnLoopbackAndAPortOfZeroMeansDisabled() {
        assertEquals("http://127.0.0.1:6969/health/ready", HealthUrlFile.url("0.0.0.0", 6969, "/health/ready"));
        assertEquals("http://[::1]:6970/health", HealthUrlFile.url("::", 6970, "/health"));
        assertEquals("http://10.0.0.5:6969/health/ready", HealthUrlFile.url("10.0.0.5", 6969, "/health/ready"));
        assertEquals("http://[fd00::5]:6969/health/ready", HealthUrlFile.url("fd00::5", 6969, "/health/ready"));
        assertEquals(HealthUrlFile.DISABLED, HealthUrlFile.url("0.0.0.0", 0, "/health"));
    }

    @Test
    void theFileIsNamedByTheEnvironmentWrittenWholeAndDeleted() throws Exception {
        assertNull(HealthUrlFile.from(Map.of()));
        assertNull(HealthUrlFile.from(Map.of(HealthUrlFile.ENV, " ")));
        Path file = tmp.resolve("run").resolve("health-url");
        HealthUrlFile health = HealthUrlFile.from(Map.of(HealthUrlFile.ENV, file.toString()));

        health.write("http://127.0.0.1:1/health");
        health.write("http://127.0.0.1:6969/health/ready");
        assertEquals("http://127.0.0.1:6969/health/ready\n", Files.readString(file));
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no partial file is left beside it");
        }
        health.delete();
        assertFalse(Files.exists(file));
    }
}
