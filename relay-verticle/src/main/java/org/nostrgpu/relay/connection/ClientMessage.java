package org.nostrgpu.relay.connection;

import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.util.List;

/** A well-formed client-to-relay message (NIP-01, NIP-45), as produced by {@link ClientMessageParser}. */
public sealed interface ClientMessage {

    /** {@code ["EVENT",event]}: the event is structurally valid; id and signature are not checked yet. */
    record Publish(Event event) implements ClientMessage {
    }

    /** {@code ["REQ",subscriptionId,filter...]}: at least one filter. */
    record Req(String subscriptionId, List<Filter> filters) implements ClientMessage {
    }

    /** {@code ["CLOSE",subscriptionId]}. */
    record Close(String subscriptionId) implements ClientMessage {
    }

    /** {@code ["COUNT",subscriptionId,filter...]} (NIP-45): at least one filter. */
    record Count(String subscriptionId, List<Filter> filters) implements ClientMessage {
    }
}
