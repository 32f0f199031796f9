package org.nostrgpu.relay.live;

import java.nio.charset.StandardCharsets;

/**
 * An accepted event on its way to live subscriptions: its id and its canonical JSON encoded to UTF-8 once, so every
 * subscriber's frame is a copy of these bytes behind that subscription's prefix rather than a new encoding.
 *
 * @param json UTF-8 bytes of the canonical JSON; shared, never modified
 */
public record LiveEvent(String id, byte[] json) {

    public static LiveEvent of(String id, String eventJson) {
        return new LiveEvent(id, eventJson.getBytes(StandardCharsets.UTF_8));
    }
}
