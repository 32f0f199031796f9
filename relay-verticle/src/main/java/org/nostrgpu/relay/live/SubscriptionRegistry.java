package org.nostrgpu.relay.live;

import org.nostrgpu.common.event.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open subscription of every connection on this node, shared by all event loops. Connections add and
 * remove their own subscriptions from their own context; fan-out may run on any thread and matches each
 * event against every subscription, then hands each connection its matches in one call.
 */
public final class SubscriptionRegistry implements EventFanOut {
    private final Map<LiveSink, Map<String, LiveSubscription>> bySink = new ConcurrentHashMap<>();

    /** Registers a subscription, replacing the owner's subscription with the same id. */
    public void add(LiveSubscription subscription) {
        bySink.computeIfAbsent(subscription.owner(), sink -> new ConcurrentHashMap<>())
                .put(subscription.id(), subscription);
    }

    /** Removes this subscription if it is still the registered one for its id. */
    public void remove(LiveSubscription subscription) {
        Map<String, LiveSubscription> subscriptions = bySink.get(subscription.owner());
        if (subscriptions != null) {
            subscriptions.remove(subscription.id(), subscription);
        }
    }

    /** Forgets every subscription of a connection that went away. */
    public void removeAll(LiveSink sink) {
        bySink.remove(sink);
    }

    public int size() {
        int total = 0;
        for (Map<String, LiveSubscription> subscriptions : bySink.values()) {
            total += subscriptions.size();
        }
        return total;
    }

    @Override
    public void fanOut(Event event, String eventJson) {
        for (Map.Entry<LiveSink, Map<String, LiveSubscription>> entry : bySink.entrySet()) {
            List<LiveSubscription> matched = null;
            for (LiveSubscription subscription : entry.getValue().values()) {
                if (subscription.matches(event)) {
                    if (matched == null) {
                        matched = new ArrayList<>(1);
                    }
                    matched.add(subscription);
                }
            }
            if (matched != null) {
                entry.getKey().deliverLive(matched, event.id(), eventJson);
            }
        }
    }
}
