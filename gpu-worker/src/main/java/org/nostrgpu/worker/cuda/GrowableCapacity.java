package org.nostrgpu.worker.cuda;

/**
 * How many records a set of buffers holds, and when it must be reallocated: never for a batch that
 * fits, otherwise to at least double the old size (so a slowly rising batch size reallocates only
 * a logarithmic number of times), never beyond the configured maximum.
 */
final class GrowableCapacity {
    private final int maximum;
    private int current;

    GrowableCapacity(int initial, int maximum) {
        if (initial < 1 || maximum < initial) {
            throw new IllegalArgumentException("need 1 <= initial <= maximum, got " + initial + ", " + maximum);
        }
        this.current = initial;
        this.maximum = maximum;
    }

    int current() {
        return current;
    }

    int maximum() {
        return maximum;
    }

    /**
     * Makes room for {@code needed} records.
     *
     * @return true when the capacity changed and the buffers must be reallocated at {@link #current()}
     */
    boolean growFor(int needed) {
        if (needed < 0 || needed > maximum) {
            throw new IllegalArgumentException(needed + " records exceed the maximum of " + maximum);
        }
        if (needed <= current) {
            return false;
        }
        current = (int) Math.min(maximum, Math.max(needed, 2L * current));
        return true;
    }
}
