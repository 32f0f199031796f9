package org.nostrgpu.common.negentropy;

/** A negentropy message that does not follow the protocol (truncated, bad mode, oversized bound, ...). */
public final class NegentropyException extends Exception {
    public NegentropyException(String message) {
        super(message);
    }
}
