package org.nostrgpu.bench.device;

import java.util.Arrays;

/** Medians of repeated timings, and how many repetitions fit a time budget. */
public final class Timings {

    public static double median(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * Repetitions to run after a warm-up that took {@code warmupSeconds}: as many as asked, fewer when they
     * would overrun {@code budgetSeconds}, but at least one.
     */
    public static int repetitionsWithin(double warmupSeconds, int wanted, double budgetSeconds) {
        if (warmupSeconds <= 0) {
            return wanted;
        }
        return (int) Math.max(1, Math.min(wanted, Math.floor(budgetSeconds / warmupSeconds)));
    }

    private Timings() {
    }
}
