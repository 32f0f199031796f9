package org.nostrgpu.relay.verify;

/** Why a request to the workers counts against them: a missed deadline or a reply that verified nothing. */
final class WorkerFault extends RuntimeException {
    private final FallbackCause cause;

    WorkerFault(FallbackCause cause, String detail) {
        super(cause.description() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"), null, false, false);
        this.cause = cause;
    }

    FallbackCause fallbackCause() {
        return cause;
    }
}
