package org.nostrgpu.relay.live;

import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.util.ArrayList;
import java.util.List;

/**
 * One open REQ: its id and filters (immutable, matched from any thread) and the gate that holds back live
 * events until the stored events and EOSE have been sent. The gate is used only on the owner's context.
 */
public final class LiveSubscription {
    private final String id;
    private final List<Filter> filters;
    private final LiveSink owner;
    private final int maxHeld;
    private List<HeldEvent> held = new ArrayList<>();

    /**
     * @param maxHeld most live events held while the stored query runs; past that {@link #hold} refuses
     */
    public LiveSubscription(String id, List<Filter> filters, LiveSink owner, int maxHeld) {
        this.id = id;
        this.filters = List.copyOf(filters);
        this.owner = owner;
        this.maxHeld = maxHeld;
    }

    public String id() {
        return id;
    }

    public List<Filter> filters() {
        return filters;
    }

    public LiveSink owner() {
        return owner;
    }

    /** True when any filter matches; limits are for stored events and do not apply here. */
    public boolean matches(Event event) {
        for (Filter filter : filters) {
            if (filter.matches(event)) {
                return true;
            }
        }
        return false;
    }

    /** True until {@link #releaseHeld()}: live events must wait for EOSE. */
    public boolean isAwaitingEose() {
        return held != null;
    }

    /** Keeps a live event until EOSE; false when the gate is full (the subscription has fallen behind). */
    public boolean hold(String eventId, String eventJson) {
        if (held.size() >= maxHeld) {
            return false;
        }
        held.add(new HeldEvent(eventId, eventJson));
        return true;
    }

    /** Opens the gate: returns the held events in arrival order; later events go straight out. */
    public List<HeldEvent> releaseHeld() {
        List<HeldEvent> out = held;
        held = null;
        return out;
    }

    public record HeldEvent(String id, String json) {
    }
}
