package org.nostrgpu.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Ranks 0 .. n-1 drawn with probability proportional to 1 / (rank + 1)^s: a few authors write most events. */
public final class Zipf {
    private final double[] cumulative;

    public Zipf(int n, double exponent) {
        cumulative = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            total += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = total;
        }
    }

    public int draw(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int found = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, found >= 0 ? found + 1 : -found - 1);
    }
}
