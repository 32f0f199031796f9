package org.nostrgpu.relay.connection;

/**
 * The answer to a client message the relay refuses before acting on it. Each kind maps to the frame that
 * lets the client tell what was refused: an OK when the event's id is known, a CLOSED when the subscription
 * id is known, otherwise a NOTICE.
 */
public sealed interface Rejection {

    /** The frame to send back. */
    String toFrame();

    record Notice(String message) implements Rejection {
        @Override
        public String toFrame() {
            return RelayMessages.notice(message);
        }
    }

    record RefusedSubscription(String subscriptionId, String message) implements Rejection {
        @Override
        public String toFrame() {
            return RelayMessages.closed(subscriptionId, message);
        }
    }

    record RefusedEvent(String eventId, String message) implements Rejection {
        @Override
        public String toFrame() {
            return RelayMessages.ok(eventId, false, message);
        }
    }

    /** A NIP-77 message refused: {@code ["NEG-ERR",subscriptionId,message]}. */
    record RefusedNegentropy(String subscriptionId, String message) implements Rejection {
        @Override
        public String toFrame() {
            return RelayMessages.negErr(subscriptionId, message);
        }
    }
}
