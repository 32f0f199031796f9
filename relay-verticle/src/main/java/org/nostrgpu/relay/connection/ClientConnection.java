package org.nostrgpu.relay.connection;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.nostrgpu.common.answer.Answer;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.relay.ingest.OkReply;
import org.nostrgpu.relay.live.LiveEvent;
import org.nostrgpu.relay.live.LiveSink;
import org.nostrgpu.relay.live.LiveSubscription;
import org.nostrgpu.relay.store.StoredEvents;
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
 * The map of subscriptions is touched only on the connection's own event-loop context.
 *
 * <p>A REQ is registered for live events before its stored query starts, and live events that match it are
 * held until the stored events and EOSE have been written, so a client never sees a live event before EOSE and
 * never misses one that arrived while the query ran (an event in both is sent once).
 *
 * <h2>Who writes</h2>
 * A subscription's frames are written by whichever thread has them: its stored events and EOSE by the store's
 * reader thread that read them, its live events by the fan-out thread, always holding the subscription's monitor
 * (see {@link LiveSubscription}), so they keep their order and none follows a close. Each writer builds its frames
 * as one {@link FrameBatch} (a REQ's hundred EVENT frames and its EOSE; one live event's frames for all of this
 * connection's matching subscriptions) and hands it to the connection's {@link ConnectionOutput}, which keeps the
 * order of hand-overs and flushes them together: the event loop spends no time reading SQLite or building frames, and
 * a batch costs one queue entry and at most one write system call. Every frame goes through that output, from the
 * thread that has it (OK answers from the ingest stage's, NIP-77 replies from the negentropy service's), and the
 * connection's meters ({@link ConnectionMetrics}) are counted where each frame is handed over.
 */
public final class ClientConnection implements LiveSink {
    /** Live events held for one subscription while its stored query runs; past this it is closed. */
    static final int MAX_HELD_LIVE_EVENTS = 10_000;
    /**
     * Maximum-size messages' worth of EVENT frames a connection may have waiting to be written to its socket. A client
     * that falls this far behind loses its live subscriptions (CLOSED) instead of growing the relay's memory.
     */
    static final int QUEUED_OUTPUT_MESSAGES = 32;
    /** RFC 6455 close status for a message too big to process. */
    static final short MESSAGE_TOO_BIG = 1009;

    private final ServerWebSocket socket;
    private final Context context;
    private final ConnectionServices services;
    private final Limits limits;
    private final ClientMessageParser parser;
    private final EventRateLimiter rateLimiter;
    private final Map<String, LiveSubscription> subscriptions = new HashMap<>();
    /** NIP-77 sessions; null when the node offers no negentropy. */
    private final NegentropySessions negentropy;
    private final ConnectionOutput output;
    private final long maxUnwrittenBytes;
    private volatile boolean closed;

    private ClientConnection(ServerWebSocket socket, Context context, ConnectionServices services) {
        this.socket = socket;
        this.output = new ConnectionOutput(socket);
        this.context = context;
        this.services = services;
        this.limits = services.limits();
        this.parser = new ClientMessageParser(limits.maxFiltersPerReq());
        this.rateLimiter = new EventRateLimiter(limits.maxEventsPerSecondPerConnection(), System.nanoTime());
        this.maxUnwrittenBytes = (long) QUEUED_OUTPUT_MESSAGES * limits.maxMessageBytes();
        // replies in the order the sessions give them, from their threads (the output keeps that order)
        this.negentropy = services.negentropy() == null ? null
                : services.negentropy().sessionsFor(new NegentropySessions.Replies() {
                    @Override
                    public void message(String subscriptionId, String hexMessage) {
                        send(RelayMessages.negMsg(subscriptionId, hexMessage));
                    }

                    @Override
                    public void error(String subscriptionId, String reason) {
                        send(RelayMessages.negErr(subscriptionId, reason));
                    }
                });
    }

    /** Starts serving an accepted WebSocket; must be called on the socket's event loop. */
    public static ClientConnection serve(ServerWebSocket socket, ConnectionServices services) {
        ClientConnection connection = new ClientConnection(socket, Vertx.currentContext(), services);
        services.metrics().connectionOpened();
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
            send(RelayMessages.ok(event.id(), reply.accepted(), reply.message()));
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
            end(replaced);
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
            finishStored(subscription, StoredEvents.NONE, received);
            return;
        }
        // completes on a store reader thread, which writes the answer from there
        services.store().queryEvents(stored, limits.maxLimit(), services.nowSeconds().getAsLong())
                .onComplete(result -> {
                    if (result.succeeded()) {
                        finishStored(subscription, result.result(), received);
                    } else {
                        drop(subscription, Answer.QUERY_FAILED);
                    }
                });
    }

    /**
     * Writes the stored events, EOSE and the live events held meanwhile, then lets live events through.
     *
     * @param received when the REQ was read ({@link System#nanoTime}), for the REQ-to-EOSE latency
     */
    private void finishStored(LiveSubscription subscription, StoredEvents storedEvents, long received) {
        byte[] prefix = subscription.framePrefix();
        synchronized (subscription) {
            if (!subscription.isActive()) {
                return; // closed or replaced while the query ran
            }
            FrameBatch frames = new FrameBatch(storedEvents.totalBytes() + storedEvents.size() * (prefix.length + 5) + 64);
            for (int i = 0; i < storedEvents.size(); i++) {
                frames.event(prefix, storedEvents.json(i));
            }
            frames.text(RelayMessages.eose(subscription.id()));
            List<LiveEvent> held = subscription.releaseHeld();
            if (!held.isEmpty()) {
                Set<String> sentIds = new HashSet<>(storedEvents.size() * 2);
                for (int i = 0; i < storedEvents.size(); i++) {
                    sentIds.add(storedEvents.id(i));
                }
                for (LiveEvent event : held) {
                    if (!sentIds.contains(event.id())) {
                        frames.event(prefix, event.json());
                    }
                }
            }
            write(frames);
        }
        services.metrics().eoseSent(received);
    }

    private void onClose(String id) {
        LiveSubscription subscription = subscriptions.remove(id);
        if (subscription != null) {
            end(subscription);
        }
    }

    /** Ends a subscription this connection no longer lists: no frame of it is written after this. */
    private void end(LiveSubscription subscription) {
        synchronized (subscription) {
            subscription.deactivate();
        }
        services.registry().remove(subscription);
    }

    private void onCount(ClientMessage.Count count) {
        String id = count.subscriptionId();
        services.store().count(count.filters(), services.nowSeconds().getAsLong()).onComplete(result ->
                send(result.succeeded()
                        ? RelayMessages.count(id, result.result())
                        : RelayMessages.closed(id, Answer.COUNT_FAILED.text())));
    }

    /** On the registry's fan-out thread; writes from there (see the class comment). */
    @Override
    public void deliverLive(List<LiveSubscription> matched, LiveEvent event) {
        boolean backedUp = output.unwrittenBytes() > maxUnwrittenBytes;
        FrameBatch frames = null;
        int sent = 0;
        for (LiveSubscription subscription : matched) {
            synchronized (subscription) {
                if (!subscription.isActive()) {
                    continue;
                }
                if (backedUp) {
                    drop(subscription, Answer.SLOW_READER);
                } else if (!subscription.isAwaitingEose()) {
                    if (frames == null) {
                        frames = new FrameBatch(matched.size() * (event.json().length + 48));
                    }
                    frames.event(subscription.framePrefix(), event.json());
                    sent++;
                } else if (!subscription.hold(event)) {
                    drop(subscription, Answer.TOO_MANY_HELD_EVENTS);
                }
            }
        }
        if (frames != null) {
            services.metrics().liveEventsSent(sent);
            write(frames);
        }
    }

    /** Ends a subscription for the relay's own reason, telling the client with CLOSED; from any thread. */
    private void drop(LiveSubscription subscription, Answer reason) {
        synchronized (subscription) {
            if (!subscription.isActive()) {
                return;
            }
            subscription.deactivate();
            send(RelayMessages.closed(subscription.id(), reason.text()));
        }
        services.registry().remove(subscription);
        onContext(() -> subscriptions.remove(subscription.id(), subscription));
    }

    private void onClosed() {
        services.metrics().connectionClosed(); // Vert.x calls the close handler once per connection
        closed = true;
        services.registry().removeAll(this);
        subscriptions.values().forEach(this::end);
        subscriptions.clear();
        if (negentropy != null) {
            negentropy.closeAll();
        }
    }

    /** Open subscriptions (for tests and metrics); read on the connection's context. */
    int subscriptionCount() {
        return subscriptions.size();
    }

    /** Writes a text frame after everything written before it; from any thread. */
    private void send(String frame) {
        if (!closed) {
            output.write(frame);
        }
    }

    /** Writes frames after everything written before them; from any thread. */
    private void write(FrameBatch frames) {
        if (!closed) {
            output.write(frames);
        }
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }
}
