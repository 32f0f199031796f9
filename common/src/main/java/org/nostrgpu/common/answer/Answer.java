package org.nostrgpu.common.answer;

/**
 * The relay's standard answers: each fixed message a client can receive in an {@code OK}, {@code CLOSED} or
 * {@code NOTICE}, with its {@link AnswerPrefix}. Messages that name what was wrong in the client's input (a field,
 * a limit and the value that broke it) are written where that is detected, with {@link AnswerPrefix#with}.
 *
 * <p>The relay's package documentation lists every one of these; a test keeps the two equal.
 */
public enum Answer {
    // OK true: already known
    ALREADY_STORED(AnswerPrefix.DUPLICATE, "already have this event"),
    SUPERSEDED(AnswerPrefix.DUPLICATE, "a newer version of this replaceable event is stored"),

    // OK false
    ID_MISMATCH(AnswerPrefix.INVALID, "event id does not match"),
    AUTH_EVENT_PUBLISHED(AnswerPrefix.INVALID, "auth events (kind 22242) are sent with AUTH, never published"),
    EXPIRED(AnswerPrefix.INVALID, "event has expired"),
    BAD_SIGNATURE(AnswerPrefix.INVALID, "bad signature"),
    PROTECTED(AnswerPrefix.RESTRICTED,
            "protected events (NIP-70) are accepted only from their authenticated author, and this relay has NIP-42 off"),
    PROTECTED_NOT_AUTHENTICATED(AnswerPrefix.AUTH_REQUIRED,
            "a protected event (NIP-70) is accepted only from its author; authenticate (NIP-42) as the author"),
    PROTECTED_OTHER_AUTHOR(AnswerPrefix.RESTRICTED,
            "a protected event (NIP-70) is accepted only from its author, and this connection authenticated as another"),
    AUTH_DISABLED(AnswerPrefix.RESTRICTED, "this relay does not authenticate clients (NIP-42 is off)"),
    AUTH_REQUIRED_TO_WRITE(AnswerPrefix.AUTH_REQUIRED, "this relay accepts events only from authenticated clients (NIP-42)"),
    DELETED_BY_AUTHOR(AnswerPrefix.BLOCKED, "this event was deleted by its author"),
    VERIFICATION_UNAVAILABLE(AnswerPrefix.ERROR, "signature verification unavailable, try again later"),
    OVERLOADED(AnswerPrefix.ERROR, "relay overloaded, try again later"),
    STORE_FAILED(AnswerPrefix.ERROR, "could not store the event"),
    INTERNAL_ERROR(AnswerPrefix.ERROR, "internal error while processing the event"),

    // CLOSED
    QUERY_FAILED(AnswerPrefix.ERROR, "could not query stored events"),
    AUTH_REQUIRED_TO_READ(AnswerPrefix.AUTH_REQUIRED, "this relay serves only authenticated clients (NIP-42)"),
    COUNT_FAILED(AnswerPrefix.ERROR, "could not count events"),
    QUERY_TOO_SLOW(AnswerPrefix.ERROR, "the query ran past the relay's time budget; narrow the filters"),
    TOO_MANY_HELD_EVENTS(AnswerPrefix.ERROR,
            "too many new events while stored events were loading, subscribe again"),

    // NOTICE
    BINARY_MESSAGE(AnswerPrefix.INVALID, "binary messages are not supported, send JSON text"),
    SLOW_READER(AnswerPrefix.ERROR, "this connection is not reading fast enough; disconnecting it");

    private final AnswerPrefix prefix;
    private final String text;

    Answer(AnswerPrefix prefix, String detail) {
        this.prefix = prefix;
        this.text = prefix.with(detail);
    }

    public AnswerPrefix prefix() {
        return prefix;
    }

    /** The message as sent: {@code "invalid: bad signature"}. */
    public String text() {
        return text;
    }
}
