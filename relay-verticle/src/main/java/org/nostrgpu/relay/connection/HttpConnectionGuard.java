package org.nostrgpu.relay.connection;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TCP connections of one HTTP server (one event loop) before they become WebSockets: each is counted against
 * its address's cap when accepted (and closed at once beyond it), and must complete an HTTP request within the
 * upgrade timeout; a plain HTTP connection kept alive after its response gets the same time for its next request.
 * Connections are told apart by their remote address and port, which the connection, its requests and its WebSocket
 * all report. Used on the server's event loop only.
 */
public final class HttpConnectionGuard {
    private final Vertx vertx;
    private final ConnectionGuards guards;
    private final AddressLimits addresses;
    private final long upgradeTimeoutMs;
    private final Map<String, Tracked> connections = new HashMap<>();

    public HttpConnectionGuard(Vertx vertx, ConnectionGuards guards) {
        this.vertx = vertx;
        this.guards = guards;
        this.addresses = guards.addresses();
        this.upgradeTimeoutMs = TimeUnit.SECONDS.toMillis(guards.limits().upgradeTimeoutSeconds());
    }

    /** A TCP connection was accepted. */
    public void onConnection(HttpConnection connection) {
        SocketAddress remote = connection.remoteAddress();
        AddressLimits.Address address = addresses.open(remote.hostAddress());
        if (address == null) {
            guards.connectionRefused();
            connection.close();
            return;
        }
        String key = remote.toString();
        Tracked tracked = new Tracked(connection, address);
        connections.put(key, tracked);
        awaitRequest(key, tracked);
        connection.closeHandler(closed -> release(key, tracked));
    }

    /** A plain HTTP request arrived complete: its connection has until the response ends plus the timeout. */
    public void onRequest(HttpServerRequest request) {
        String key = request.remoteAddress().toString();
        Tracked tracked = connections.get(key);
        if (tracked != null) {
            vertx.cancelTimer(tracked.timer);
            request.response().endHandler(ended -> awaitRequest(key, tracked));
        }
    }

    /**
     * The connection became a WebSocket: its own liveness rules take over, and since Vert.x then reports the close
     * to the WebSocket rather than to the HTTP connection, the returned action must run when the WebSocket closes.
     */
    public Runnable onWebSocket(ServerWebSocket socket) {
        String key = socket.remoteAddress().toString();
        Tracked tracked = connections.get(key);
        if (tracked == null) {
            return () -> { };
        }
        vertx.cancelTimer(tracked.timer);
        return () -> release(key, tracked);
    }

    private void release(String key, Tracked tracked) {
        if (!tracked.released) {
            tracked.released = true;
            connections.remove(key, tracked);
            vertx.cancelTimer(tracked.timer);
            addresses.close(tracked.address);
        }
    }

    private void awaitRequest(String key, Tracked tracked) {
        tracked.timer = vertx.setTimer(upgradeTimeoutMs, fired -> {
            if (connections.get(key) == tracked) {
                tracked.connection.close();
            }
        });
    }

    private static final class Tracked {
        final HttpConnection connection;
        final AddressLimits.Address address;
        long timer = -1;
        boolean released;

        Tracked(HttpConnection connection, AddressLimits.Address address) {
            this.connection = connection;
            this.address = address;
        }
    }
}
