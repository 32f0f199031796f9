package org.nostrgpu.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;

/**
 * A WebSocket to a relay and the context its handlers run on (it was connected from that context), so a load tool
 * can keep each connection's state on one thread.
 */
record RelaySocket(WebSocket socket, Context context) {

    /** Connects from a new context of its own; blocks the calling (non-Vert.x) thread until connected. */
    static RelaySocket open(Vertx vertx, WebSocketClient client, String url) {
        Context context = vertx.getOrCreateContext();
        Promise<RelaySocket> connected = Promise.promise();
        context.runOnContext(v -> client.connect(RelayUrl.parse(url))
                .map(socket -> new RelaySocket(socket, context)).onComplete(connected));
        return connected.future().await();
    }

    /** Whether a frame's bytes start with {@code prefix} (ASCII): how the tools tell frames apart without decoding. */
    static boolean startsWith(Buffer data, byte[] prefix) {
        if (data.length() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data.getByte(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
