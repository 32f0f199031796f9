package org.nostrgpu.bench.suite;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/** A latency histogram recorded in microseconds, as the report's milliseconds. */
final class Percentiles {
    private Percentiles() {
    }

    static JsonObject millis(Histogram micros) {
        return new JsonObject().put("count", micros.getTotalCount())
                .put("p50", ms(micros.getValueAtPercentile(50))).put("p90", ms(micros.getValueAtPercentile(90)))
                .put("p99", ms(micros.getValueAtPercentile(99))).put("p999", ms(micros.getValueAtPercentile(99.9)))
                .put("max", ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
