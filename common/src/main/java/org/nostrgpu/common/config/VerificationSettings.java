package org.nostrgpu.common.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a relay node gets signatures verified: the {@code verification} section of the relay's YAML file.
 * The batch size is the top-level {@code verify-batch-size}, the CPU threads {@code verifier-threads}.
 *
 * @param mode        which path verifies (see {@link Mode})
 * @param fallback    what happens to an event no worker verified (see {@link Fallback})
 * @param timeoutMs   how long a request to a worker may take before its events go to the fallback
 * @param maxInFlight requests to workers outstanding at once; further events accumulate into the next request
 */
public record VerificationSettings(Mode mode, Fallback fallback, long timeoutMs, int maxInFlight) {

    public static VerificationSettings defaults() {
        return new VerificationSettings(Mode.AUTO, Fallback.CPU, 5_000, 2);
    }

    public VerificationSettings {
        if (timeoutMs < 1) {
            throw new ConfigException("verification timeout must be at least 1 ms, got " + timeoutMs);
        }
        if (maxInFlight < 1) {
            throw new ConfigException("verification max-in-flight must be at least 1, got " + maxInFlight);
        }
    }

    public VerificationSettings withMode(Mode newMode) {
        return new VerificationSettings(newMode, fallback, timeoutMs, maxInFlight);
    }

    public VerificationSettings withFallback(Fallback newFallback) {
        return new VerificationSettings(mode, newFallback, timeoutMs, maxInFlight);
    }

    public VerificationSettings withTimeoutMs(long newTimeoutMs) {
        return new VerificationSettings(mode, fallback, newTimeoutMs, maxInFlight);
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
