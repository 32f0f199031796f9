package org.nostrgpu.common.event;

/**
 * Strict NIP-01 event parsing: every required field present once with its exact JSON type and format.
 * Unknown top-level fields are ignored (and dropped: {@link Event#toJson()} re-serializes).
 */
public final class EventParser {
    private EventParser() {
    }

    /** Parses one event object from JSON text. */
    public static Event parse(String json) throws InvalidEventException {
        throw new UnsupportedOperationException("TODO(model helper)");
    }
}
