package org.nostrgpu.common.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a relay node gets signatures verified: the {@code verification} section of the relay's YAML file.
 * The batch size is the top-level {@code verify-batch-size}, the CPU threads {@code verifier-threads}.
 *
 * <p>A request to a worker has a deadline that follows what the workers normally take (a smoothed round-trip time
 * plus four times its variation, doubled), never below {@code deadlineFloorMs} and never above {@code timeoutMs}.
 * A request past its deadline goes to the fallback at once and opens the circuit: further events go to the fallback
 * without waiting, and every {@code probeIntervalMs} a one-signature probe checks whether a worker answers in time
 * again. With {@code hedging}, a request still unanswered after its expected time (at least {@code hedgeAfterMinMs})
 * is also verified on this relay's idle CPU threads, and the first verdict wins.
 *
 * @param mode            which path verifies (see {@link Mode})
 * @param fallback        what happens to an event no worker verified (see {@link Fallback})
 * @param timeoutMs       the longest deadline a request to a worker gets (the adaptive deadline's cap)
 * @param maxInFlight     requests to workers outstanding at once; further events accumulate into the next request
 * @param deadlineFloorMs the shortest deadline a request gets, however fast the workers have been
 * @param probeIntervalMs while the circuit is open, how often a probe request is sent
 * @param hedging         whether late requests are also verified locally (only with the {@code cpu} fallback)
 * @param hedgeAfterMinMs the earliest a request is hedged, however fast the workers have been
 */
public record VerificationSettings(Mode mode, Fallback fallback, long timeoutMs, int maxInFlight,
                                   long deadlineFloorMs, long probeIntervalMs, boolean hedging, long hedgeAfterMinMs) {

    public static VerificationSettings defaults() {
        return new VerificationSettings(Mode.AUTO, Fallback.CPU, 1_000, 2, 200, 500, true, 50);
    }

    public VerificationSettings {
        if (timeoutMs < 1) {
            throw new ConfigException("verification timeout must be at least 1 ms, got " + timeoutMs);
        }
        if (maxInFlight < 1) {
            throw new ConfigException("verification max-in-flight must be at least 1, got " + maxInFlight);
        }
        if (deadlineFloorMs < 1 || deadlineFloorMs > timeoutMs) {
            throw new ConfigException("verification deadline-floor-ms must be from 1 to timeout-ms (" + timeoutMs
                    + "), got " + deadlineFloorMs);
        }
        if (probeIntervalMs < 1) {
            throw new ConfigException("verification probe-interval-ms must be at least 1, got " + probeIntervalMs);
        }
        if (hedgeAfterMinMs < 0) {
            throw new ConfigException("verification hedge-after-min-ms must be 0 or more, got " + hedgeAfterMinMs);
        }
    }

    public VerificationSettings withMode(Mode newMode) {
        return new VerificationSettings(newMode, fallback, timeoutMs, maxInFlight, deadlineFloorMs, probeIntervalMs,
                hedging, hedgeAfterMinMs);
    }

    public VerificationSettings withFallback(Fallback newFallback) {
        return new VerificationSettings(mode, newFallback, timeoutMs, maxInFlight, deadlineFloorMs, probeIntervalMs,
                hedging, hedgeAfterMinMs);
    }

    /** A new cap; the floor follows it down when it would be above. */
    public VerificationSettings withTimeoutMs(long newTimeoutMs) {
        return new VerificationSettings(mode, fallback, newTimeoutMs, maxInFlight,
                Math.min(deadlineFloorMs, newTimeoutMs), probeIntervalMs, hedging, hedgeAfterMinMs);
    }

    public VerificationSettings withDeadlines(long newFloorMs, long newTimeoutMs) {
        return new VerificationSettings(mode, fallback, newTimeoutMs, maxInFlight, newFloorMs, probeIntervalMs,
                hedging, hedgeAfterMinMs);
    }

    public VerificationSettings withMaxInFlight(int newMaxInFlight) {
        return new VerificationSettings(mode, fallback, timeoutMs, newMaxInFlight, deadlineFloorMs, probeIntervalMs,
                hedging, hedgeAfterMinMs);
    }

    public VerificationSettings withProbeIntervalMs(long newProbeIntervalMs) {
        return new VerificationSettings(mode, fallback, timeoutMs, maxInFlight, deadlineFloorMs, newProbeIntervalMs,
                hedging, hedgeAfterMinMs);
    }

    public VerificationSettings withHedging(boolean newHedging, long newHedgeAfterMinMs) {
        return new VerificationSettings(mode, fallback, timeoutMs, maxInFlight, deadlineFloorMs, probeIntervalMs,
                newHedging, newHedgeAfterMinMs);
    }

    /** Where signatures are verified. */
    public enum Mode {
        /** Over the event bus; a worker runs in this JVM unless the node is clustered (then the cluster's workers). */
        AUTO,
        /** Over the event bus to a worker deployed in this JVM, also when clustered (it then serves other relays too). */
        EMBEDDED,
        /** Over the event bus to the cluster's workers only; no worker in this JVM. */
        CLUSTER,
        /** On this node's CPU threads directly: no event bus, no worker. */
        LOCAL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the mode named in a config file or option, or null when the name is none of them */
        public static Mode fromConfigName(String name) {
            return Arrays.stream(values()).filter(mode -> mode.configName().equals(name)).findFirst().orElse(null);
        }

        public static List<String> configNames() {
            return Arrays.stream(values()).map(Mode::configName).toList();
        }
    }

    /** What answers an event that no worker verified (no worker, timeout, worker overloaded or failing). */
    public enum Fallback {
        /** Verify it on this node's CPU threads. */
        CPU,
        /** Refuse it: {@code OK false "error: ..."}, the client may retry later. */
        REJECT;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the fallback named in a config file or option, or null when the name is none of them */
        public static Fallback fromConfigName(String name) {
            return Arrays.stream(values()).filter(f -> f.configName().equals(name)).findFirst().orElse(null);
        }

        public static List<String> configNames() {
            return Arrays.stream(values()).map(Fallback::configName).toList();
        }
    }
}
