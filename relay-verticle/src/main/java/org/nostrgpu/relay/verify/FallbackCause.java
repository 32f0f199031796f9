package org.nostrgpu.relay.verify;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.nostrgpu.common.bus.VerifyStatus;

import java.util.Locale;

/** Why events that went to a worker ended up with the fallback; a tag of the fallback metrics and a log line. */
public enum FallbackCause {
    /** No verification worker consumes the verify address (none deployed, or none in the cluster). */
    NO_WORKER("no verification worker is registered"),
    /** No reply within the request's deadline (worker busy, stopped or unreachable). */
    TIMEOUT("the verification worker did not answer within the deadline"),
    /** Not sent: the circuit is open after a fault, until a probe is answered in time. */
    CIRCUIT_OPEN("the circuit to the verification workers is open"),
    /** The event bus failed the request some other way (for example the worker's node went away). */
    FAILED_REQUEST("the request to the verification worker failed"),
    /** The reply did not follow the verify protocol. */
    MALFORMED_REPLY("the verification worker's reply was malformed"),
    /** The worker could not read the request: a bug, or relay and worker speak different protocol versions. */
    REQUEST_REFUSED("the verification worker refused the request as malformed"),
    OVERLOADED("the verification worker is overloaded"),
    DEVICE_ERROR("the verification worker's backend failed"),
    SHUTTING_DOWN("the verification worker is shutting down"),
    /** An OK reply that left this event undecided. */
    UNDECIDED("the verification worker left the event undecided");

    private final String description;

    FallbackCause(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cause for an event-bus request that failed instead of bringing a reply. */
    static FallbackCause ofRequestFailure(Throwable failure) {
        if (failure instanceof ReplyException reply) {
            if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
                return NO_WORKER;
            }
            if (reply.failureType() == ReplyFailure.TIMEOUT) {
                return TIMEOUT;
            }
        }
        return FAILED_REQUEST;
    }

    /** The cause for a reply whose status says nothing was verified; null for {@code OK}. */
    static FallbackCause ofStatus(VerifyStatus status) {
        return switch (status) {
            case OK -> null;
            case OVERLOADED -> OVERLOADED;
            case DEVICE_ERROR -> DEVICE_ERROR;
            case SHUTTING_DOWN -> SHUTTING_DOWN;
            case MALFORMED_REQUEST -> REQUEST_REFUSED;
        };
    }
}
