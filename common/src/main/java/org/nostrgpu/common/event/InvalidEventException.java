package org.nostrgpu.common.event;

/** An event that breaks NIP-01's structure; the message is the reason sent after {@code invalid: }. */
public final class InvalidEventException extends Exception {
    public InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
