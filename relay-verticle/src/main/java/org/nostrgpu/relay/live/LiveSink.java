package org.nostrgpu.relay.live;

import java.util.List;

/** The owner of live subscriptions (one WebSocket connection): receives the events that match them. */
public interface LiveSink {

    /**
     * Called on the registry's fan-out thread (never an event loop) once per accepted event with the owner's
     * subscriptions that matched it: the implementation may write to its socket from there, and must guard any state
     * it shares with its own context.
     */
    void deliverLive(List<LiveSubscription> matched, LiveEvent event);
}
