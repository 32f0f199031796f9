package org.nostrgpu.relay.connection;

import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.util.List;

/**
 * A well-formed client-to-relay message (NIP-01, NIP-45, NIP-77), as produced by {@link ClientMessageParser}. A receiver
 * handles every kind through {@link #dispatchTo}: adding a kind breaks the compilation of every {@link Handler}
 * until it handles the new one too (the exhaustiveness a pattern switch gives on newer Java versions).
 */
public sealed interface ClientMessage {

    /** Gives this message to the handler's method for its kind. */
    void dispatchTo(Handler handler);

    /** One method per kind of message. */
    interface Handler {
        void onPublish(Publish publish);

        void onReq(Req req);

        void onClose(Close close);

        void onCount(Count count);

        void onAuth(Auth auth);

        void onNegOpen(NegOpen open);

        void onNegMsg(NegMsg message);

        void onNegClose(NegClose close);
    }

    /** {@code ["EVENT",event]}: the event is structurally valid; id and signature are not checked yet. */
    record Publish(Event event) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onPublish(this);
        }
    }

    /** {@code ["REQ",subscriptionId,filter...]}: at least one filter. */
    record Req(String subscriptionId, List<Filter> filters) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onReq(this);
        }
    }

    /** {@code ["CLOSE",subscriptionId]}. */
    record Close(String subscriptionId) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onClose(this);
        }
    }

    /** {@code ["AUTH",event]} (NIP-42): the event is structurally valid; nothing else is checked yet. */
    record Auth(Event event) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onAuth(this);
        }
    }

    /** {@code ["COUNT",subscriptionId,filter...]} (NIP-45): at least one filter. */
    record Count(String subscriptionId, List<Filter> filters) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onCount(this);
        }
    }

    /** {@code ["NEG-OPEN",subscriptionId,filter,initialMessage]} (NIP-77); the message is not decoded yet. */
    record NegOpen(String subscriptionId, Filter filter, String hexMessage) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onNegOpen(this);
        }
    }

    /** {@code ["NEG-MSG",subscriptionId,message]} (NIP-77). */
    record NegMsg(String subscriptionId, String hexMessage) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onNegMsg(this);
        }
    }

    /** {@code ["NEG-CLOSE",subscriptionId]} (NIP-77). */
    record NegClose(String subscriptionId) implements ClientMessage {
        @Override
        public void dispatchTo(Handler handler) {
            handler.onNegClose(this);
        }
    }
}
