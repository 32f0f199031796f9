package org.nostrgpu.relay.connection;

/** A client message that was refused while parsing; {@link #rejection()} says what to answer. */
public final class RejectedMessageException extends Exception {
    private final Rejection rejection;

    public RejectedMessageException(Rejection rejection) {
        super(rejection.toString(), null, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
