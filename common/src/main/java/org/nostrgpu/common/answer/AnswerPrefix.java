package org.nostrgpu.common.answer;

/**
 * The machine-readable prefixes of NIP-01 that start the message of an {@code OK}, {@code CLOSED} or {@code NOTICE}
 * ({@code "invalid: ..."}): the whole set this relay uses. Every answer the relay writes is built from one of these,
 * either through a standard {@link Answer} or with {@link #with} for a message that names what was wrong.
 */
public enum AnswerPrefix {
    /** The event is already known; for OK the answer still says {@code true}. */
    DUPLICATE("duplicate", true),
    /** The message, event or filter breaks the protocol or a configured limit. */
    INVALID("invalid", false),
    /** The relay keeps this event out on purpose: a version its author deleted, or the operator's write policy. */
    BLOCKED("blocked", false),
    /** NIP-13: the event id does not carry the proof of work the relay requires. */
    POW("pow", false),
    /** Over a per-connection limit on rate or open subscriptions. */
    RATE_LIMITED("rate-limited", false),
    /** The client must authenticate (NIP-42) first. */
    AUTH_REQUIRED("auth-required", false),
    /** Not allowed, authenticated or not: a protected event from someone else, or the operator's write policy. */
    RESTRICTED("restricted", false),
    /** The relay could not do it now (overload, storage, verification unavailable); the client may retry. */
    ERROR("error", false);

    private final String text;
    private final boolean okAccepted;

    AnswerPrefix(String text, boolean okAccepted) {
        this.text = text;
        this.okAccepted = okAccepted;
    }

    /** The prefix as written on the wire, without the colon: {@code "rate-limited"}. */
    public String text() {
        return text;
    }

    /** The third element of an {@code OK} that carries this prefix. */
    public boolean okAccepted() {
        return okAccepted;
    }

    /** The prefix {@code message} starts with ({@code "invalid: ..."}), or null when it has none. */
    public static AnswerPrefix of(String message) {
        for (AnswerPrefix prefix : values()) {
            if (message.startsWith(prefix.text) && message.length() > prefix.text.length()
                    && message.charAt(prefix.text.length()) == ':') {
                return prefix;
            }
        }
        return null;
    }

    /** {@code "<prefix>: <detail>"}, for a message that names what was wrong. */
    public String with(String detail) {
        return text + ": " + detail;
    }
}
