package org.nostrgpu.relay.store;

/**
 * What happened to an event handed to {@link EventStore#store}. The store says only what happened; the ingest
 * stage turns it into the client's OK answer.
 */
public enum StoreOutcome {
    /** Written now, as a new event. */
    STORED,
    /** Already stored. */
    DUPLICATE,
    /** The id (or, for an addressable event, its address up to this created_at) was deleted by its author. */
    DELETED,
    /** A newer version of this replaceable/addressable event is stored; this one is not kept. */
    SUPERSEDED
}
