package org.nostrgpu.relay.connection;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An EVENT frame built from bytes reaches a real WebSocket client as the text message it spells: the check that
 * Vert.x's internal frame class, which {@link EventFrames} relies on, still takes text bytes as they are.
 */
@ExtendWith(VertxExtension.class)
class EventFramesTest {

    @Test
    void aFrameOfBytesArrivesAsThatTextMessage(Vertx vertx) throws Exception {
        String json = "{\"id\":\"x\",\"content\":\"caf\u00e9 \uD83D\uDE80 \\\"q\\\"\"}";
        byte[] frame = EventFrames.event("[\"EVENT\",\"sub\",".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
        HttpServer server = vertx.createHttpServer()
                .webSocketHandler(socket -> socket.textMessageHandler(ask -> socket.writeFrame(EventFrames.text(frame))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        WebSocketClient client = vertx.createWebSocketClient();
        CompletableFuture<String> received = new CompletableFuture<>();
        WebSocket socket = client.connect(server.actualPort(), "127.0.0.1", "/")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        socket.textMessageHandler(received::complete);
        socket.writeTextMessage("send it");
        assertEquals("[\"EVENT\",\"sub\"," + json + "]", received.get(10, TimeUnit.SECONDS));
        socket.close();
        client.close();
        server.close();
    }
}
