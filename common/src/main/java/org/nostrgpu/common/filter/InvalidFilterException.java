package org.nostrgpu.common.filter;

/** A filter the relay refuses; the message is the reason sent after {@code invalid: } in CLOSED. */
public final class InvalidFilterException extends Exception {
    public InvalidFilterException(String reason) {
        super(reason, null, false, false);
    }
}
