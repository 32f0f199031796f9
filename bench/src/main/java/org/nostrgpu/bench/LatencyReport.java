package org.nostrgpu.bench;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds from a histogram recorded in microseconds. */
final class LatencyReport {
    private LatencyReport() {
    }

    static String of(Histogram micros) {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(90) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0);
    }
}
