package org.nostrgpu.bench.suite;

import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.QueryLoad;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run measured: CPU model and count, Java, the load average at the start. */
final class Machine {
    private Machine() {
    }

    static JsonObject describe() {
        return new JsonObject().put("cpus", Runtime.getRuntime().availableProcessors()).put("cpuModel", cpuModel())
                .put("java", Runtime.version().toString()).put("loadAverage", QueryLoad.LoadAverage.read());
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
