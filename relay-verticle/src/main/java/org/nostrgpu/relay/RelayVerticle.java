package org.nostrgpu.relay;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.StartupException;
import org.nostrgpu.relay.connection.ClientConnection;
import org.nostrgpu.relay.connection.ConnectionGuards;
import org.nostrgpu.relay.connection.ConnectionServices;
import org.nostrgpu.relay.connection.HttpConnectionGuard;

/**
 * One HTTP server on one event loop: WebSocket connections on any path, plain HTTP (NIP-11, a text page,
 * {@code /metrics}) for everything else. Several instances listen on the same host and port; Vert.x spreads the accepted
 * connections over them. Every TCP connection passes an {@link HttpConnectionGuard} first (per-address cap, time to
 * a complete request).
 */
public final class RelayVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final ConnectionServices services;
    private final ConnectionGuards guards;
    private final Handler<HttpServerRequest> http;
    private HttpServer server;

    public RelayVerticle(String host, int port, ConnectionServices services, ConnectionGuards guards,
                         Handler<HttpServerRequest> http) {
        this.host = host;
        this.port = port;
        this.services = services;
        this.guards = guards;
        this.http = http;
    }

    @Override
    public Future<?> start() {
        HttpConnectionGuard connections = new HttpConnectionGuard(vertx, guards);
        server = vertx.createHttpServer(serverOptions(services.limits()))
                .connectionHandler(connections::onConnection)
                .requestHandler(request -> {
                    connections.onRequest(request);
                    http.handle(request);
                })
                .webSocketHandler(socket -> {
                    Runnable release = connections.onWebSocket(socket);
                    ClientConnection.serve(socket, services, guards).whenClosed(release);
                });
        return server.listen(port, host).recover(failure -> Future.failedFuture(new StartupException(
                "client port " + host + ":" + port + ": " + StartupException.clause(failure), failure)));
    }

    @Override
    public Future<?> stop() {
        return server.close();
    }

    /**
     * Messages up to {@link Limits#maxMessageBytes()} are read; up to twice that the relay answers a NOTICE and keeps
     * the connection; beyond, {@link ClientConnection} closes it with 1009 while the message arrives. The WebSocket
     * decoder's own frame limit is set far above that ({@link #webSocketFrameCeiling}): a frame it refuses makes
     * Vert.x drop the TCP connection, which clients report as 1006 instead of 1009.
     */
    static HttpServerOptions serverOptions(Limits limits) {
        int ceiling = webSocketFrameCeiling(limits.maxMessageBytes());
        return new HttpServerOptions()
                // HTTP/1.1 only: with cleartext HTTP/2 detection on, Vert.x waits for a connection's first bytes
                // before it reports the connection, and a client that sends nothing would escape the guard
                .setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(ceiling)
                .setMaxWebSocketMessageSize(ceiling)
                .setRegisterWebSocketWriteHandlers(false);
    }

    /**
     * Eight times the protocol limit (1 MiB by default): the largest single frame the decoder buffers, so that a
     * frame up to it is refused with a proper 1009 close. Frames beyond it are dropped with the connection.
     */
    static int webSocketFrameCeiling(int maxMessageBytes) {
        return (int) Math.min(Integer.MAX_VALUE, 8L * maxMessageBytes);
    }
}
