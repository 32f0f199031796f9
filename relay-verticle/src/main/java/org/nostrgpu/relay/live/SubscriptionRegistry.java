package org.nostrgpu.relay.live;

import org.nostrgpu.common.event.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Every open subscription of every connection on this node, shared by all event loops. Connections add and
 * remove their own subscriptions from their own context. {@link #fanOut} hands the event to the fan-out executor,
 * which encodes its JSON once ({@link LiveEvent}), matches it against every subscription and hands each connection its
 * matches in one call.
 *
 * <p>The relay gives it a thread of its own, not an event loop: a connection then writes its frames from a foreign
 * thread, and Vert.x queues such writes and flushes them together when the connection's event loop drains them, so
 * the twenty frames of one event for one connection cost one write system call instead of twenty.
 */
public final class SubscriptionRegistry implements EventFanOut {
    private final Map<LiveSink, Map<String, LiveSubscription>> bySink = new ConcurrentHashMap<>();
    private final Executor fanOutExecutor;

    /** Delivers on the thread that calls {@link #fanOut} (tests). */
    public SubscriptionRegistry() {
        this(Runnable::run);
    }

    /** @param fanOutExecutor runs each event's matching and delivery, in submission order (one thread) */
    public SubscriptionRegistry(Executor fanOutExecutor) {
        this.fanOutExecutor = fanOutExecutor;
    }

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
        if (!bySink.isEmpty()) {
            try {
                fanOutExecutor.execute(() -> deliver(event, LiveEvent.of(event.id(), eventJson)));
            } catch (RejectedExecutionException stopped) {
                // the node is shutting down and its connections are closed: nobody to deliver to
            }
        }
    }

    private void deliver(Event event, LiveEvent live) {
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
                entry.getKey().deliverLive(matched, live);
            }
        }
    }
}
