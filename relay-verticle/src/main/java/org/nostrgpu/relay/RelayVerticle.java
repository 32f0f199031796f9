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
import org.nostrgpu.relay.connection.ConnectionServices;

/**
 * One HTTP server on one event loop: WebSocket connections on any path, plain HTTP (NIP-11, a text page,
 * {@code /metrics}) for everything else. Several instances listen on the same host and port; Vert.x spreads the accepted
 * connections over them.
 */
public final class RelayVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final ConnectionServices services;
    private final Handler<HttpServerRequest> http;
    private HttpServer server;

    public RelayVerticle(String host, int port, ConnectionServices services, Handler<HttpServerRequest> http) {
        this.host = host;
        this.port = port;
        this.services = services;
        this.http = http;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(serverOptions(services.limits()))
                .requestHandler(http)
                .webSocketHandler(socket -> ClientConnection.serve(socket, services));
        return server.listen(port, host).recover(failure -> Future.failedFuture(new StartupException(
                "client port " + host + ":" + port + ": " + StartupException.clause(failure), failure)));
    }

    @Override
    public Future<?> stop() {
        return server.close();
    }

    /**
     * Messages up to {@link Limits#maxMessageBytes()} are read; between that and {@link #webSocketHardLimit}
     * the relay answers a NOTICE and the connection stays open; beyond the hard limit the WebSocket layer
     * refuses the frame and closes the connection with status 1009 (message too big), without buffering it.
     */
    static HttpServerOptions serverOptions(Limits limits) {
        int hardLimit = webSocketHardLimit(limits.maxMessageBytes());
        return new HttpServerOptions()
                .setMaxWebSocketFrameSize(hardLimit)
                .setMaxWebSocketMessageSize(hardLimit)
                .setRegisterWebSocketWriteHandlers(false);
    }

    /** Twice the protocol limit: room to read and refuse a slightly oversized message politely. */
    static int webSocketHardLimit(int maxMessageBytes) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxMessageBytes);
    }
}
