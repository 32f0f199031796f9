package org.nostrgpu.common.bus;

/** A verify request or reply that does not follow {@link VerifyProtocol}; the message says what is wrong. */
public final class MalformedVerifyMessageException extends RuntimeException {
    public MalformedVerifyMessageException(String message) {
        super(message);
    }
}
