package org.nostrgpu.relay.store;

import org.nostrgpu.common.event.Event;

/**
 * An event waiting for the writer, with its canonical JSON when the caller had already encoded it (null: the writer
 * encodes it when it binds the row).
 */
record PendingWrite(Event event, String json) {

    static PendingWrite of(Event event) {
        return new PendingWrite(event, null);
    }

    /** The text stored in {@code events.json}. */
    String canonicalJson() {
        return json != null ? json : event.toJson();
    }
}
