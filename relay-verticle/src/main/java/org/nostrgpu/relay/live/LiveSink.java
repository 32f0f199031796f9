package org.nostrgpu.relay.live;

import java.util.List;

/** The owner of live subscriptions (one WebSocket connection): receives the events that match them. */
public interface LiveSink {

    /**
     * Called from any thread once per accepted event with the owner's subscriptions that matched it, so the
     * implementation must move to its own context before touching its state or its socket.
     */
    void deliverLive(List<LiveSubscription> matched, String eventId, String eventJson);
}
