package org.nostrgpu.relay.connection;

import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * EVENT frames built from bytes: a subscription's prefix {@code ["EVENT",<id>,}, the event's stored UTF-8 JSON, and
 * {@code ]}, with nothing decoded or encoded on the way.
 *
 * <p>Vert.x's public API builds text frames only from a {@code String} (which it then encodes to UTF-8 again), so the
 * frame is made with its own frame class, which takes the bytes of a text frame as they are. That class is internal
 * to Vert.x: this is the one place that uses it, and {@code EventFramesTest} sends such frames through a real
 * WebSocket so a Vert.x upgrade that changes it fails there.
 */
final class EventFrames {
    private static final byte END = ']';

    private EventFrames() {
    }

    /** The complete text of an EVENT frame: prefix, JSON, {@code ]}. */
    static byte[] event(byte[] prefix, byte[] json) {
        byte[] frame = new byte[prefix.length + json.length + 1];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(json, 0, frame, prefix.length, json.length);
        frame[frame.length - 1] = END;
        return frame;
    }

    /** A final text frame of these UTF-8 bytes, which must be valid UTF-8 (stored canonical JSON is). */
    static WebSocketFrame text(byte[] utf8) {
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true);
    }
}
