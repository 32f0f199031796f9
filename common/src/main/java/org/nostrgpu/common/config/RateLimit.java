package org.nostrgpu.common.config;

/**
 * A token bucket's settings: {@code perSecond} tokens refill per second, at most {@code burst} saved up; a new
 * bucket starts full. {@code perSecond} 0 means unlimited.
 */
public record RateLimit(int perSecond, int burst) {
    public static final RateLimit UNLIMITED = new RateLimit(0, 0);

    public RateLimit {
        if (perSecond < 0 || burst < 0) {
            throw new ConfigException("a rate limit needs a rate and a burst of 0 or more, got " + perSecond + "/s, burst "
                    + burst);
        }
        if (perSecond > 0 && burst < 1) {
            throw new ConfigException("a rate of " + perSecond + "/s needs a burst of at least 1");
        }
    }

    public boolean unlimited() {
        return perSecond == 0;
    }

    /** "50 per second (bursts of 200)", for answers and logs. */
    public String describe() {
        return unlimited() ? "unlimited" : perSecond + " per second (bursts of " + burst + ")";
    }
}
