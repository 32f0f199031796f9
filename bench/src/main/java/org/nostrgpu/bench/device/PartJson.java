package org.nostrgpu.bench.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads what earlier parts of the same run wrote to the output directory. */
final class PartJson {

    /** {@code OUT/PART.json}, when that part ran and wrote it. */
    static Optional<JsonNode> read(Path out, String part) {
        Path file = out.resolve(part + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Kernel-only verifies/s with the key cache, by {@link ThroughputPart#key(String, int)}, from this run. */
    static Map<String, Double> kernelOnly(Path out) {
        Map<String, Double> rates = new LinkedHashMap<>();
        read(out, "throughput").ifPresent(json -> json.path("rows").forEach(row -> {
            if (row.path("path").asText().equals("kernel-only") && row.path("keyCache").asText().equals("on")) {
                rates.put(ThroughputPart.key(row.path("corpus").asText(), row.path("batch").asInt()),
                        row.path("verifiesPerSecond").asDouble());
            }
        }));
        return rates;
    }

    private PartJson() {
    }
}
