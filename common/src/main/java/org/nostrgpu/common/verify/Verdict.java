package org.nostrgpu.common.verify;

/** The outcome of one signature check. */
public enum Verdict {
    VALID,
    INVALID,
    /** The backend could not decide (overloaded, device error, shutting down); the caller falls back. */
    NOT_VERIFIED
}
