package org.nostrgpu.bench.device;

import java.util.Arrays;
import java.util.concurrent.Callable;

/** Medians of repeated timings, and how many repetitions fit a time budget. */
public final class Timings {
    /** Each repetition lasts at least this long (the mean of as many calls as needed), so short calls are not noise. */
    static final double MIN_REPETITION_SECONDS = 0.02;

    /**
     * @param medianSeconds median time of one call
     * @param warmupSeconds the warm-up call's time
     */
    public record Sample(double medianSeconds, int repetitions, int callsPerRepetition, double warmupSeconds) {
        public double perSecond(long work) {
            return work / medianSeconds;
        }

        /** Whether the warm-up alone overran the budget: larger sizes are not worth trying. */
        public boolean overran(double budgetSeconds) {
            return warmupSeconds > budgetSeconds;
        }
    }

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

    /**
     * One warm-up call, then up to {@code repetitions} timed repetitions within the budget, each the mean of
     * enough calls to last {@link #MIN_REPETITION_SECONDS}.
     *
     * @param once makes one call and returns its time in seconds
     */
    public static Sample measure(Callable<Double> once, int repetitions, double budgetSeconds) throws Exception {
        double warmup = once.call();
        int calls = (int) Math.min(1000, Math.max(1, Math.ceil(MIN_REPETITION_SECONDS / Math.max(warmup, 1e-7))));
        int reps = repetitionsWithin(warmup * calls, repetitions, budgetSeconds);
        double[] samples = new double[reps];
        for (int r = 0; r < reps; r++) {
            double total = 0;
            for (int c = 0; c < calls; c++) {
                total += once.call();
            }
            samples[r] = total / calls;
        }
        return new Sample(median(samples), reps, calls, warmup);
    }

    /** Seconds since {@code startNanos}. */
    public static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private Timings() {
    }
}
