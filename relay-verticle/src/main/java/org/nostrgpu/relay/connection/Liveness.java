package org.nostrgpu.relay.connection;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a connection alive only while it is: every ping interval the relay sends a WebSocket ping, and a connection
 * from which nothing at all (no pong, no frame) has arrived for two intervals is dead; a connection with no open
 * subscription that has sent no message for the idle timeout is idle. One periodic timer per connection, on its
 * context. Used on the connection's context only.
 */
final class Liveness {
    private static final Buffer PING = Buffer.buffer("nostr-gpu-relay");

    /** What the connection must be able to do for this class. */
    interface Connection {
        void ping(Buffer data);

        boolean hasSubscriptions();

        /** Closes the connection with this status and reason. */
        void closeFor(short status, String reason);
    }

    static final short GOING_AWAY = 1001;
    static final short NORMAL = 1000;

    private final Vertx vertx;
    private final Connection connection;
    private final long pingNanos;
    private final long idleNanos;
    private long timer = -1;
    private long lastHeardNanos;
    private long lastMessageNanos;

    /**
     * @param pingIntervalSeconds 0 sends no pings
     * @param idleTimeoutSeconds  0 never closes an idle connection
     */
    Liveness(Vertx vertx, Connection connection, long pingIntervalSeconds, long idleTimeoutSeconds) {
        this.vertx = vertx;
        this.connection = connection;
        this.pingNanos = TimeUnit.SECONDS.toNanos(pingIntervalSeconds);
        this.idleNanos = TimeUnit.SECONDS.toNanos(idleTimeoutSeconds);
        long now = System.nanoTime();
        this.lastHeardNanos = now;
        this.lastMessageNanos = now;
    }

    void start() {
        long periodNanos = pingNanos == 0 ? idleNanos : idleNanos == 0 ? pingNanos : Math.min(pingNanos, idleNanos);
        if (periodNanos > 0) {
            timer = vertx.setPeriodic(Math.max(1, TimeUnit.NANOSECONDS.toMillis(periodNanos)), id -> check());
        }
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Any frame or pong arrived. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /** A client message arrived (it counts as heard too). */
    void messageReceived() {
        lastMessageNanos = System.nanoTime();
        lastHeardNanos = lastMessageNanos;
    }

    private void check() {
        long now = System.nanoTime();
        if (pingNanos > 0 && now - lastHeardNanos > 2 * pingNanos) {
            stop();
            connection.closeFor(GOING_AWAY, "no answer to pings");
            return;
        }
        if (idleNanos > 0 && !connection.hasSubscriptions() && now - lastMessageNanos >= idleNanos) {
            stop();
            connection.closeFor(NORMAL, "idle");
            return;
        }
        if (pingNanos > 0) {
            connection.ping(PING);
        }
    }
}
