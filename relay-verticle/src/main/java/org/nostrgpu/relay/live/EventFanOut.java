package org.nostrgpu.relay.live;

import org.nostrgpu.common.event.Event;

/**
 * Where accepted events go to reach live subscriptions. The local {@link SubscriptionRegistry} delivers to
 * this node's connections; a clustered node can publish to every node instead, each fanning out locally.
 */
public interface EventFanOut {

    /** Hands an accepted event to every live subscription it matches; {@code eventJson} is its canonical JSON. */
    void fanOut(Event event, String eventJson);
}
