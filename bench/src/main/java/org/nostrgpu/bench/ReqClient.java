package org.nostrgpu.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One WebSocket connection to a relay carrying any number of concurrent REQs, each answered by a future that
 * completes at its EOSE (or fails at CLOSED or when the connection ends). Frames are recognised by their bytes,
 * without decoding them to text or parsing their JSON: the load tool shares the machine with the relay it measures.
 * Subscription ids are {@code "q<n>"}, which need no escaping; relays write frames without spaces, as NIP-01 shows.
 *
 * <p>State is touched on the connection's context only; {@link #req} moves there when called from elsewhere.
 */
final class ReqClient {
    private static final byte[] EVENT = bytes("[\"EVENT\",\"");
    private static final byte[] EOSE = bytes("[\"EOSE\",\"");
    private static final byte[] CLOSED = bytes("[\"CLOSED\",\"");

    /** What one REQ received: its EVENT frames' count and, when asked for, the events' JSON. */
    record Answer(int events, List<String> eventJson, long startNanos, long endNanos) {
        long micros() {
            return (endNanos - startNanos) / 1_000;
        }
    }

    private final WebSocket socket;
    private final Context context;
    private final Map<String, Pending> pending = new HashMap<>();
    private Buffer partial;
    private int counter;

    ReqClient(RelaySocket connection) {
        this.socket = connection.socket();
        this.context = connection.context();
        socket.frameHandler(this::onFrame);
        socket.exceptionHandler(failure -> failAll("connection failed: " + failure));
        socket.closeHandler(closed -> failAll("connection closed: status " + socket.closeStatusCode()));
    }

    Context context() {
        return context;
    }

    /**
     * Sends {@code ["REQ","q<n>",filters]} and completes at its EOSE, after which the subscription is closed.
     * {@code filtersJson} is one or more filter objects separated by commas.
     */
    Future<Answer> req(String filtersJson, boolean keepEvents) {
        Promise<Answer> answer = Promise.promise();
        if (Vertx.currentContext() != context) {
            context.runOnContext(v -> send(filtersJson, keepEvents, answer));
        } else {
            send(filtersJson, keepEvents, answer);
        }
        return answer.future();
    }

    private void send(String filtersJson, boolean keepEvents, Promise<Answer> answer) {
        String id = "q" + (counter++);
        pending.put(id, new Pending(answer, keepEvents ? new ArrayList<>() : null, System.nanoTime()));
        socket.writeTextMessage("[\"REQ\",\"" + id + "\"," + filtersJson + "]");
    }

    Future<Void> close() {
        return socket.close();
    }

    private void onFrame(WebSocketFrame frame) {
        if (!frame.isText() && !frame.isContinuation()) {
            return;
        }
        Buffer data = frame.binaryData();
        if (!frame.isFinal() || partial != null) {
            partial = partial == null ? data.copy() : partial.appendBuffer(data);
            if (!frame.isFinal()) {
                return;
            }
            data = partial;
            partial = null;
        }
        onMessage(data);
    }

    private void onMessage(Buffer message) {
        if (RelaySocket.startsWith(message, EVENT)) {
            Pending request = pending.get(idAt(message, EVENT.length));
            if (request != null) {
                request.events++;
                if (request.eventJson != null) {
                    String text = message.toString(StandardCharsets.UTF_8);
                    int start = text.indexOf('{');
                    request.eventJson.add(text.substring(start, text.length() - 1));
                }
            }
        } else if (RelaySocket.startsWith(message, EOSE)) {
            String id = idAt(message, EOSE.length);
            Pending request = pending.remove(id);
            if (request != null) {
                long end = System.nanoTime();
                socket.writeTextMessage("[\"CLOSE\",\"" + id + "\"]");
                request.promise.tryComplete(new Answer(request.events, request.eventJson, request.startNanos, end));
            }
        } else if (RelaySocket.startsWith(message, CLOSED)) {
            Pending request = pending.remove(idAt(message, CLOSED.length));
            if (request != null) {
                request.promise.tryFail("CLOSED: " + message);
            }
        }
    }

    private void failAll(String why) {
        List<Pending> failed = new ArrayList<>(pending.values());
        pending.clear();
        failed.forEach(request -> request.promise.tryFail(why));
    }

    private static String idAt(Buffer message, int start) {
        int end = start;
        while (end < message.length() && message.getByte(end) != '"') {
            end++;
        }
        return message.getString(start, end, "US-ASCII");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static final class Pending {
        final Promise<Answer> promise;
        final List<String> eventJson;
        final long startNanos;
        int events;

        Pending(Promise<Answer> promise, List<String> eventJson, long startNanos) {
            this.promise = promise;
            this.eventJson = eventJson;
            this.startNanos = startNanos;
        }
    }
}
