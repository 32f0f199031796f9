package org.nostrgpu.relay.verify;

/**
 * What the verification workers normally take, learnt from the round-trip times of their timely answers, and the
 * deadline and hedging delay that follow from it. The estimate is TCP's retransmission-timer one (RFC 6298): a
 * smoothed round-trip time and a smoothed mean deviation; "expected" is the smoothed time plus four deviations,
 * which few answers exceed. A request's deadline is twice that, kept between the floor and the cap; hedging starts at
 * the expected time, no earlier than its own minimum and no later than the deadline. Samples above the cap count as
 * the cap, so one very late answer cannot push the estimate past what the cap allows anyway.
 *
 * <p>Thread-safe: replies arrive on any thread.
 */
final class ResponseTimes {
    private static final double GAIN = 1.0 / 8;
    private static final double DEVIATION_GAIN = 1.0 / 4;
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final long floorMillis;
    private final long capMillis;
    private final long hedgeMinMillis;
    /** Smoothed round trip in nanoseconds; negative until the first sample. */
    private double smoothed = -1;
    private double deviation;

    /**
     * @param floorMillis    shortest deadline
     * @param capMillis      longest deadline
     * @param hedgeMinMillis earliest hedge
     */
    ResponseTimes(long floorMillis, long capMillis, long hedgeMinMillis) {
        this.floorMillis = floorMillis;
        this.capMillis = capMillis;
        this.hedgeMinMillis = hedgeMinMillis;
    }

    synchronized void record(long roundTripNanos) {
        double sample = Math.min(roundTripNanos, capMillis * NANOS_PER_MILLI);
        if (smoothed < 0) {
            smoothed = sample;
            deviation = sample / 2;
        } else {
            deviation = (1 - DEVIATION_GAIN) * deviation + DEVIATION_GAIN * Math.abs(smoothed - sample);
            smoothed = (1 - GAIN) * smoothed + GAIN * sample;
        }
    }

    /** The time few answers exceed; before any answer, half the floor. */
    synchronized long expectedMillis() {
        if (smoothed < 0) {
            return Math.max(1, floorMillis / 2);
        }
        return (long) Math.ceil((smoothed + 4 * deviation) / NANOS_PER_MILLI);
    }

    long deadlineMillis() {
        return clamp(2 * expectedMillis(), floorMillis, capMillis);
    }

    /** When a request with this deadline is hedged. */
    long hedgeAfterMillis(long deadlineMillis) {
        return clamp(expectedMillis(), Math.min(hedgeMinMillis, deadlineMillis), deadlineMillis);
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
