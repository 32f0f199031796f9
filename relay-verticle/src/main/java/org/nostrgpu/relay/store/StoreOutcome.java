package org.nostrgpu.relay.store;

/**
 * What happened to an event handed to {@link EventStore#store}; {@link #accepted} and {@link #message}
 * are what the relay puts in its OK answer.
 */
public record StoreOutcome(Kind kind, boolean accepted, String message) {

    public enum Kind { STORED, DUPLICATE, DELETED, SUPERSEDED }

    public static StoreOutcome stored() {
        return new StoreOutcome(Kind.STORED, true, "");
    }

    public static StoreOutcome duplicate() {
        return new StoreOutcome(Kind.DUPLICATE, true, "duplicate: already have this event");
    }

    /** The id (or, for an addressable event, its address up to this created_at) was deleted by its author. */
    public static StoreOutcome deleted() {
        return new StoreOutcome(Kind.DELETED, false, "blocked: this event was deleted by its author");
    }

    /** A newer version of this replaceable/addressable event is stored; this one is not kept. */
    public static StoreOutcome superseded() {
        return new StoreOutcome(Kind.SUPERSEDED, true, "duplicate: a newer version of this replaceable event is stored");
    }
}
