package org.nostrgpu.worker.hybrid;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * Where batches stop being faster on CPU threads than on the GPU, as measured on this machine.
 *
 * @param size       the smallest batch the GPU gets; smaller ones go to the CPU ({@link #GPU_ONLY}: all to the GPU)
 * @param points     what was measured: median time of one batch of each size on each backend
 * @param measuredAt when, or null when {@link #size} was not measured (configured or GPU-only)
 * @param note       how the size was found, e.g. "GPU faster from 512 on" or "GPU-only: cpu-below-crossover is false"
 */
public record Crossover(int size, List<Point> points, Instant measuredAt, String note) {
    /** Every batch goes to the GPU. */
    public static final int GPU_ONLY = 1;

    /** One probed batch size: the median time of one batch on each backend, in microseconds. */
    public record Point(int size, double cpuMicros, double gpuMicros) {
        boolean gpuWins() {
            return gpuMicros < cpuMicros;
        }
    }

    public static Crossover gpuOnly(String why) {
        return new Crossover(GPU_ONLY, List.of(), null, "GPU-only: " + why);
    }

    /** Whether a batch of {@code events} goes to the CPU threads. */
    public boolean cpuTakes(int events) {
        return events < size;
    }

    public JsonObject toJson() {
        JsonArray probed = new JsonArray();
        for (Point point : points) {
            probed.add(new JsonObject().put("batch", point.size())
                    .put("cpuMicros", Math.round(point.cpuMicros() * 10) / 10.0)
                    .put("gpuMicros", Math.round(point.gpuMicros() * 10) / 10.0));
        }
        return new JsonObject()
                .put("crossover", size)
                .put("note", note)
                .put("measuredAt", measuredAt == null ? null : measuredAt.toString())
                .put("probe", probed);
    }
}
