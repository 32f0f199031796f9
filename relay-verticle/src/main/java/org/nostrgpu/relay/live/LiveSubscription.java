package org.nostrgpu.relay.live;

import org.nostrgpu.common.event.CanonicalJson;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One open REQ: its id and filters (immutable, matched from any thread), the bytes that start each of its EVENT
 * frames, and its state: active until closed or replaced, and awaiting EOSE (live events held back) until its stored
 * events have been sent. The state is read and changed only while holding this object's monitor, by whichever thread
 * writes the subscription's frames (the connection's context, a store reader, the fan-out thread): so all of a
 * subscription's frames go out in one order, and none after it is closed.
 */
public final class LiveSubscription {
    private final String id;
    private final List<Filter> filters;
    private final LiveSink owner;
    private final int maxHeld;
    private final byte[] framePrefix;
    private List<LiveEvent> held = new ArrayList<>();
    private boolean active = true;

    /**
     * @param maxHeld most live events held while the stored query runs; past that {@link #hold} refuses
     */
    public LiveSubscription(String id, List<Filter> filters, LiveSink owner, int maxHeld) {
        this.id = id;
        this.filters = List.copyOf(filters);
        this.owner = owner;
        this.maxHeld = maxHeld;
        StringBuilder prefix = new StringBuilder(id.length() + 16).append("[\"EVENT\",");
        CanonicalJson.appendString(prefix, id);
        this.framePrefix = prefix.append(',').toString().getBytes(StandardCharsets.UTF_8);
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

    /** {@code ["EVENT",<id>,} as UTF-8: an EVENT frame is these bytes, the event's JSON and {@code ]}. */
    public byte[] framePrefix() {
        return framePrefix;
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

    /** False once closed, replaced or dropped: nothing more may be written for it. Under the monitor. */
    public boolean isActive() {
        return active;
    }

    /** Ends the subscription; under the monitor. */
    public void deactivate() {
        active = false;
        held = null;
    }

    /** True until {@link #releaseHeld()}: live events must wait for EOSE. Under the monitor. */
    public boolean isAwaitingEose() {
        return active && held != null;
    }

    /**
     * Keeps a live event until EOSE; false when the gate is full (the subscription has fallen behind). Under the
     * monitor, while {@link #isAwaitingEose()}.
     */
    public boolean hold(LiveEvent event) {
        if (held.size() >= maxHeld) {
            return false;
        }
        held.add(event);
        return true;
    }

    /** Opens the gate: returns the held events in arrival order; later events go straight out. Under the monitor. */
    public List<LiveEvent> releaseHeld() {
        List<LiveEvent> out = held;
        held = null;
        return out;
    }
}
