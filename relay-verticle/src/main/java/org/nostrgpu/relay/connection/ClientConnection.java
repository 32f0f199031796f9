package org.nostrgpu.relay.connection;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.nostrgpu.common.answer.Answer;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.relay.ingest.OkReply;
import org.nostrgpu.relay.live.LiveSink;
import org.nostrgpu.relay.live.LiveSubscription;
import org.nostrgpu.relay.sync.NegentropySessions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client WebSocket: reads its messages, keeps its subscriptions and its EVENT rate, and writes the answers.
 * All state is touched only on the connection's own event-loop context; results arriving from other threads
 * hop back to it first.
 *
 * <p>A REQ is registered for live events before its stored query starts, and live events that match it are
 * held until the stored events and EOSE have been written, so a client never sees a live event before EOSE and
 * never misses one that arrived while the query ran (an event in both is sent once).
 */
public final class ClientConnection implements LiveSink {
    /** Live events held for one subscription while its stored query runs; past this it is closed. */
    static final int MAX_HELD_LIVE_EVENTS = 10_000;
    /**
     * Maximum-size messages' worth of output a connection may have waiting to be written. A client that falls
     * this far behind loses its live subscriptions (CLOSED) instead of growing the relay's memory.
     */
    static final int QUEUED_OUTPUT_MESSAGES = 32;
    /** RFC 6455 close status for a message too big to process. */
    static final short MESSAGE_TOO_BIG = 1009;
    /** From this many frames on, a REQ's answer is written off the event loop (see {@link #sendInOrder}). */
    static final int OFF_LOOP_WRITE_MIN_FRAMES = 8;

    private final ServerWebSocket socket;
    private final Context context;
    private final ConnectionServices services;
    private final Limits limits;
    private final ClientMessageParser parser;
    private final EventRateLimiter rateLimiter;
    private final Map<String, LiveSubscription> subscriptions = new HashMap<>();
    /** NIP-77 sessions; null when the node offers no negentropy. */
    private final NegentropySessions negentropy;
    /** Groups of frames handed to a worker thread and not yet written; touched on the context only. */
    private int offLoopWritesPending;
    private volatile boolean closed;

    private ClientConnection(ServerWebSocket socket, Context context, ConnectionServices services) {
        this.socket = socket;
        this.context = context;
        this.services = services;
        this.limits = services.limits();
        this.parser = new ClientMessageParser(limits.maxFiltersPerReq());
        this.rateLimiter = new EventRateLimiter(limits.maxEventsPerSecondPerConnection(), System.nanoTime());
        this.negentropy = services.negentropy() == null ? null
                : services.negentropy().sessionsFor(new NegentropySessions.Replies() {
                    @Override
                    public void message(String subscriptionId, String hexMessage) {
                        onContext(() -> send(RelayMessages.negMsg(subscriptionId, hexMessage)));
                    }

                    @Override
                    public void error(String subscriptionId, String reason) {
                        onContext(() -> send(RelayMessages.negErr(subscriptionId, reason)));
                    }
                });
    }

    /** Starts serving an accepted WebSocket; must be called on the socket's event loop. */
    public static ClientConnection serve(ServerWebSocket socket, ConnectionServices services) {
        ClientConnection connection = new ClientConnection(socket, Vertx.currentContext(), services);
        services.metrics().connectionOpened();
        socket.setWriteQueueMaxSize(
                (int) Math.min(Integer.MAX_VALUE, (long) QUEUED_OUTPUT_MESSAGES * services.limits().maxMessageBytes()));
        socket.textMessageHandler(connection::onText);
        socket.binaryMessageHandler(binary ->
                connection.send(RelayMessages.notice(Answer.BINARY_MESSAGE.text())));
        socket.closeHandler(ignored -> connection.onClosed());
        socket.exceptionHandler(connection::onSocketError);
        return connection;
    }

    void onText(String text) {
        if (isTooLarge(text)) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            send(RelayMessages.notice(AnswerPrefix.INVALID.with(
                    "message too large (" + bytes + " bytes, at most " + limits.maxMessageBytes() + ")")));
            return;
        }
        ClientMessage message;
        try {
            message = parser.parse(text);
        } catch (RejectedMessageException e) {
            send(e.rejection().toFrame());
            return;
        }
        message.dispatchTo(messages);
    }

    /** Routes each kind of parsed client message to this connection's handling of it. */
    private final ClientMessage.Handler messages = new ClientMessage.Handler() {
        @Override
        public void onPublish(ClientMessage.Publish publish) {
            ClientConnection.this.onPublish(publish.event());
        }

        @Override
        public void onReq(ClientMessage.Req req) {
            ClientConnection.this.onReq(req);
        }

        @Override
        public void onClose(ClientMessage.Close close) {
            ClientConnection.this.onClose(close.subscriptionId());
        }

        @Override
        public void onCount(ClientMessage.Count count) {
            ClientConnection.this.onCount(count);
        }

        @Override
        public void onNegOpen(ClientMessage.NegOpen open) {
            if (negentropyOffered(open.subscriptionId())) {
                negentropy.open(open.subscriptionId(), open.filter(), open.hexMessage());
            }
        }

        @Override
        public void onNegMsg(ClientMessage.NegMsg message) {
            if (negentropyOffered(message.subscriptionId())) {
                negentropy.message(message.subscriptionId(), message.hexMessage());
            }
        }

        @Override
        public void onNegClose(ClientMessage.NegClose close) {
            if (negentropy != null) {
                negentropy.close(close.subscriptionId());
            }
        }
    };

    private boolean negentropyOffered(String subscriptionId) {
        if (negentropy == null) {
            send(RelayMessages.negErr(subscriptionId, AnswerPrefix.BLOCKED.with("negentropy is not offered here")));
        }
        return negentropy != null;
    }

    /**
     * A message sent in several frames whose total passes the WebSocket layer's hard limit arrives here as an
     * IllegalStateException from the frame aggregator: the relay ends the connection with status 1009 (message
     * too big) rather than reading the rest. A single frame over that limit never gets here: the WebSocket
     * decoder drops the connection by itself (the client sees 1006).
     */
    private void onSocketError(Throwable error) {
        if (error instanceof IllegalStateException && !closed) {
            closed = true;
            socket.close(MESSAGE_TOO_BIG, "message too big");
        }
    }

    private boolean isTooLarge(String text) {
        int max = limits.maxMessageBytes();
        return (long) text.length() * 3 > max && text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    private void onPublish(Event event) {
        services.metrics().eventReceived();
        if (!rateLimiter.tryAcquire(System.nanoTime())) {
            String message = AnswerPrefix.RATE_LIMITED.with("at most "
                    + limits.maxEventsPerSecondPerConnection() + " events per second per connection");
            services.metrics().answered(false, message);
            send(RelayMessages.ok(event.id(), false, message));
            return;
        }
        // OK answers carry no connection state, so they are written from whichever thread completes.
        services.ingester().ingest(event).onComplete(done -> {
            OkReply reply = done.succeeded() ? done.result() : OkReply.of(Answer.INTERNAL_ERROR);
            services.metrics().answered(reply.accepted(), reply.message());
            sendFromAnyThread(RelayMessages.ok(event.id(), reply.accepted(), reply.message()));
        });
    }

    private void onReq(ClientMessage.Req req) {
        long received = System.nanoTime();
        String id = req.subscriptionId();
        LiveSubscription replaced = subscriptions.get(id);
        if (replaced == null && subscriptions.size() >= limits.maxSubscriptionsPerConnection()) {
            send(RelayMessages.closed(id, AnswerPrefix.RATE_LIMITED.with("too many open subscriptions (at most "
                    + limits.maxSubscriptionsPerConnection() + " per connection), CLOSE one first")));
            return;
        }
        if (replaced != null) {
            services.registry().remove(replaced);
        }
        services.metrics().reqAccepted();
        LiveSubscription subscription = new LiveSubscription(id, req.filters(), this, MAX_HELD_LIVE_EVENTS);
        subscriptions.put(id, subscription);
        services.registry().add(subscription);

        List<Filter> stored = new ArrayList<>(req.filters().size());
        for (Filter filter : req.filters()) {
            if (filter.limit() == null || filter.limit() > 0) {
                stored.add(filter);
            }
        }
        if (stored.isEmpty()) {
            finishStored(subscription, List.of(), received);
            return;
        }
        services.store().query(stored, limits.maxLimit(), services.nowSeconds().getAsLong())
                .onComplete(result -> onContext(() -> onStoredResult(subscription, result, received)));
    }

    private void onStoredResult(LiveSubscription subscription, AsyncResult<List<String>> result, long received) {
        if (subscriptions.get(subscription.id()) != subscription) {
            return; // closed or replaced while the query ran
        }
        if (result.failed()) {
            dropSubscription(subscription, Answer.QUERY_FAILED);
            return;
        }
        finishStored(subscription, result.result(), received);
    }

    private void finishStored(LiveSubscription subscription, List<String> storedEvents, long received) {
        String id = subscription.id();
        List<String> frames = new ArrayList<>(storedEvents.size() + 1);
        Set<String> sentIds = new HashSet<>(storedEvents.size() * 2);
        for (String eventJson : storedEvents) {
            frames.add(RelayMessages.event(id, eventJson));
            sentIds.add(idOfCanonical(eventJson));
        }
        frames.add(RelayMessages.eose(id));
        for (LiveSubscription.HeldEvent held : subscription.releaseHeld()) {
            if (!sentIds.contains(held.id())) {
                frames.add(RelayMessages.event(id, held.json()));
            }
        }
        sendInOrder(frames);
        services.metrics().eoseSent(received);
    }

    private void onClose(String id) {
        LiveSubscription subscription = subscriptions.remove(id);
        if (subscription != null) {
            services.registry().remove(subscription);
        }
    }

    private void onCount(ClientMessage.Count count) {
        String id = count.subscriptionId();
        services.store().count(count.filters(), services.nowSeconds().getAsLong()).onComplete(result ->
                sendFromAnyThread(result.succeeded()
                        ? RelayMessages.count(id, result.result())
                        : RelayMessages.closed(id, Answer.COUNT_FAILED.text())));
    }

    @Override
    public void deliverLive(List<LiveSubscription> matched, String eventId, String eventJson) {
        onContext(() -> {
            for (LiveSubscription subscription : matched) {
                if (subscriptions.get(subscription.id()) != subscription) {
                    continue;
                }
                if (socket.writeQueueFull()) {
                    dropSubscription(subscription, Answer.SLOW_READER);
                } else if (!subscription.isAwaitingEose()) {
                    services.metrics().liveEventSent();
                    send(RelayMessages.event(subscription.id(), eventJson));
                } else if (!subscription.hold(eventId, eventJson)) {
                    dropSubscription(subscription, Answer.TOO_MANY_HELD_EVENTS);
                }
            }
        });
    }

    private void dropSubscription(LiveSubscription subscription, Answer reason) {
        subscriptions.remove(subscription.id());
        services.registry().remove(subscription);
        send(RelayMessages.closed(subscription.id(), reason.text()));
    }

    private void onClosed() {
        services.metrics().connectionClosed(); // Vert.x calls the close handler once per connection
        closed = true;
        services.registry().removeAll(this);
        subscriptions.clear();
        if (negentropy != null) {
            negentropy.closeAll();
        }
    }

    /** Open subscriptions (for tests and metrics); read on the connection's context. */
    int subscriptionCount() {
        return subscriptions.size();
    }

    /** Writes a frame that must stay in order with the subscription frames; on the context only. */
    private void send(String frame) {
        if (offLoopWritesPending > 0) {
            sendInOrder(List.of(frame));
        } else {
            sendFromAnyThread(frame);
        }
    }

    /** OK and COUNT answers: their order relative to other frames does not matter. */
    private void sendFromAnyThread(String frame) {
        if (!closed) {
            socket.writeTextMessage(frame);
        }
    }

    /**
     * Writes frames in order with every other {@link #send}; on the context only. A REQ's stored events are
     * written from a worker thread: Vert.x flushes each write made on the event loop outside a read on its own
     * (a syscall per EVENT frame), while writes from another thread are queued and flushed together. Frames sent
     * while such a group is pending follow the same ordered path, so nothing overtakes it.
     */
    private void sendInOrder(List<String> frames) {
        if (offLoopWritesPending == 0 && frames.size() < OFF_LOOP_WRITE_MIN_FRAMES) {
            frames.forEach(this::sendFromAnyThread);
            return;
        }
        offLoopWritesPending++;
        context.<Void>executeBlocking(() -> {
            frames.forEach(this::sendFromAnyThread);
            return null;
        }, true).onComplete(done -> offLoopWritesPending--);
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    /** Stored events are canonical JSON, which always starts with {@code {"id":"} and the 64-character id. */
    private static String idOfCanonical(String eventJson) {
        return eventJson.substring(7, 71);
    }
}
