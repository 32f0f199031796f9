package org.nostrgpu.common.bus;

/** A stats request or reply that does not follow {@link StatsProtocol}; the message says what is wrong. */
public final class MalformedStatsMessageException extends RuntimeException {
    public MalformedStatsMessageException(String message) {
        super(message);
    }
}
