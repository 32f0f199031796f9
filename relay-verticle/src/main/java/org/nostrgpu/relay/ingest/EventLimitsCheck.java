package org.nostrgpu.relay.ingest;

import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;

import java.nio.charset.StandardCharsets;

/** The configured structural limits on one event: tag count, content size, accepted {@code created_at} window. */
public final class EventLimitsCheck {
    private final Limits limits;

    public EventLimitsCheck(Limits limits) {
        this.limits = limits;
    }

    /** The reason (without the {@code invalid: } prefix) the event breaks a limit, or null when it fits. */
    public String violation(Event event, long nowSeconds) {
        if (event.tags().size() > limits.maxTags()) {
            return "too many tags (" + event.tags().size() + ", at most " + limits.maxTags() + ")";
        }
        // A UTF-16 unit is at most 3 UTF-8 bytes: short content needs no encoding to be known to fit.
        if ((long) event.content().length() * 3 > limits.maxContentBytes()) {
            int contentBytes = event.content().getBytes(StandardCharsets.UTF_8).length;
            if (contentBytes > limits.maxContentBytes()) {
                return "content too large (" + contentBytes + " bytes, at most " + limits.maxContentBytes() + ")";
            }
        }
        if (event.createdAt() > nowSeconds + limits.maxFutureSeconds()) {
            return "created_at is too far in the future (more than " + limits.maxFutureSeconds() + " s ahead)";
        }
        if (limits.maxPastSeconds() > 0 && event.createdAt() < nowSeconds - limits.maxPastSeconds()) {
            return "created_at is too far in the past (more than " + limits.maxPastSeconds() + " s ago)";
        }
        return null;
    }
}
