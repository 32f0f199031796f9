package org.nostrgpu.bench.device;

/**
 * One throughput measurement.
 *
 * @param path          what was timed, e.g. "kernel-only", "end-to-end", "cpu 1 thread"
 * @param batch         signatures per call or launch
 * @param repetitions   timed repetitions (after warm-up) the median is taken over
 * @param medianSeconds median time of one repetition
 * @param signatures    signatures verified in one repetition (batch times callers)
 * @param mismatches    verdicts of the last repetition that differ from libsecp256k1's, -1 when not checked
 */
public record ThroughputRow(String path, int batch, int repetitions, double medianSeconds, long signatures,
                            long mismatches) {

    public double verifiesPerSecond() {
        return signatures / medianSeconds;
    }
}
