package org.nostrgpu.common.event;

/**
 * An event that breaks NIP-01's structure; the message is the reason sent after {@code invalid: }.
 * When the offending object carried a well-formed {@code id}, {@link #eventId()} returns it so the relay
 * can answer with an {@code OK} naming that id.
 */
public final class InvalidEventException extends Exception {
    private final String eventId;

    public InvalidEventException(String reason) {
        this(reason, null);
    }

    public InvalidEventException(String reason, String eventId) {
        super(reason, null, false, false);
        this.eventId = eventId;
    }

    /** The object's {@code id} when it was 64 lowercase hex characters, else null. */
    public String eventId() {
        return eventId;
    }
}
