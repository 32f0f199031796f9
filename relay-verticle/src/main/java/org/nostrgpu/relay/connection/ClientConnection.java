package org.nostrgpu.relay.connection;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import org.nostrgpu.common.answer.Answer;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventIds;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.relay.ingest.OkReply;
import org.nostrgpu.relay.live.LiveEvent;
import org.nostrgpu.relay.live.LiveSink;
import org.nostrgpu.relay.live.LiveSubscription;
import org.nostrgpu.relay.store.QueryBudget;
import org.nostrgpu.relay.store.StoredEvents;
import org.nostrgpu.relay.sync.NegentropySessions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One client WebSocket: reads its messages, keeps its subscriptions and its rates, and writes the answers.
 * The map of subscriptions is touched only on the connection's own event-loop context.
 *
 * <p>A REQ is registered for live events before its stored query starts, and live events that match it are
 * held until the stored events and EOSE have been written, so a client never sees a live event before EOSE and
 * never misses one that arrived while the query ran (an event in both is sent once).
 *
 * <p>Abuse limits ({@link ConnectionGuards}): frames are assembled by {@link MessageAssembler} (invalid UTF-8 closes
 * with 1007, a message past the hard limit with 1009); EVENT and REQ/COUNT pass this connection's and its address's
 * token buckets; at most {@code max-pending-events-per-connection} EVENTs are in ingest at once, and at that bound
 * the socket is paused (the flood waits in the client's own TCP buffers, not ahead of other connections); every
 * written frame counts against the {@link OutboundLimit} until the socket has written it, and past it the client
 * gets a NOTICE and is disconnected (1008); {@link Liveness} pings and closes dead or idle connections.
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
    /** RFC 6455 close status for a message too big to process. */
    static final short MESSAGE_TOO_BIG = 1009;
    /** RFC 6455 close status for a text message that is not valid UTF-8. */
    static final short INVALID_PAYLOAD = 1007;
    /** RFC 6455 close status for a client that broke the relay's policy (here: stopped reading). */
    static final short POLICY_VIOLATION = 1008;

    private final ServerWebSocket socket;
    private final Context context;
    private final ConnectionServices services;
    private final Limits limits;
    private final ClientMessageParser parser;
    /** This connection's own turn for stored queries ({@code max-concurrent-queries-per-connection}). */
    private final FairQueries queries;
    private final TokenBucket eventRate;
    private final TokenBucket reqRate;
    /** The address's shared buckets; null when the connection was not counted by an {@link HttpConnectionGuard}. */
    private final AddressLimits.Address address;
    /** The client's IP address, the key of fair query scheduling. */
    private final String addressKey;
    private final ConnectionGuards guards;
    private final OutboundLimit outbound;
    private final int maxPendingEvents;
    private final Liveness liveness;
    private final ConnectionAuth auth;
    private final Map<String, LiveSubscription> subscriptions = new HashMap<>();
    private final AtomicBoolean disconnecting = new AtomicBoolean();
    private final List<Runnable> closeActions = new ArrayList<>(1);
    /** EVENTs in ingest, not answered yet; touched on the context only. */
    private int pendingEvents;
    private boolean pausedForIngest;
    /** NIP-77 sessions; null when the node offers no negentropy. */
    private final NegentropySessions negentropy;
    private final ConnectionOutput output;
    private volatile boolean closed;

    private ClientConnection(ServerWebSocket socket, Context context, ConnectionServices services,
                             ConnectionGuards guards) {
        this.socket = socket;
        this.context = context;
        this.services = services;
        this.limits = services.limits();
        this.parser = new ClientMessageParser(limits.maxFiltersPerReq(), guards.limits().maxValuesPerFilter());
        this.queries = new FairQueries(guards.limits().maxConcurrentQueriesPerConnection());
        long now = System.nanoTime();
        this.eventRate = new TokenBucket(guards.limits().eventsPerConnection(limits), now);
        this.reqRate = new TokenBucket(guards.limits().reqsPerConnection(), now);
        SocketAddress remote = socket.remoteAddress();
        this.addressKey = remote == null ? "" : remote.hostAddress();
        this.address = remote == null ? null : guards.addresses().of(addressKey);
        this.guards = guards;
        this.outbound = new OutboundLimit(guards.limits().maxOutboundBytesPerConnection());
        this.output = new ConnectionOutput(socket, outbound);
        this.maxPendingEvents = guards.limits().maxPendingEventsPerConnection();
        this.auth = new ConnectionAuth(guards.auth(), socket.authority());
        this.liveness = new Liveness(context.owner(), livenessView(), guards.limits().pingIntervalSeconds(),
                guards.limits().idleTimeoutSeconds());
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
                }, this::inTurn);
    }

    /** Starts serving an accepted WebSocket; must be called on the socket's event loop. */
    public static ClientConnection serve(ServerWebSocket socket, ConnectionServices services, ConnectionGuards guards) {
        ClientConnection connection = new ClientConnection(socket, Vertx.currentContext(), services, guards);
        services.metrics().connectionOpened();
        socket.frameHandler(new MessageAssembler(webSocketHardLimit(services.limits().maxMessageBytes()),
                connection.receiver()));
        socket.pongHandler(pong -> connection.liveness.heard());
        socket.closeHandler(ignored -> {
            guards.pendingOutputSeen(connection.outbound.highestPending());
            connection.onClosed();
        });
        socket.exceptionHandler(connection::onSocketError);
        connection.liveness.start();
        if (connection.auth.enabled()) {
            connection.send(RelayMessages.auth(connection.auth.challenge()));
        }
        return connection;
    }

    /**
     * The largest message the relay reads before refusing it: twice the protocol limit, so a slightly oversized
     * message is answered with a NOTICE and the connection kept; beyond it the connection is closed with 1009.
     */
    public static int webSocketHardLimit(int maxMessageBytes) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxMessageBytes);
    }

    private MessageAssembler.Receiver receiver() {
        return new MessageAssembler.Receiver() {
            @Override
            public void onText(String message) {
                ClientConnection.this.onText(message);
            }

            @Override
            public void onBinary() {
                liveness.messageReceived();
                send(RelayMessages.notice(Answer.BINARY_MESSAGE.text()));
            }

            @Override
            public void onTooBig(long bytes) {
                closeFor(MESSAGE_TOO_BIG, "message too big");
            }

            @Override
            public void onInvalidUtf8() {
                closeFor(INVALID_PAYLOAD, "text message is not valid UTF-8");
            }
        };
    }

    private Liveness.Connection livenessView() {
        return new Liveness.Connection() {
            @Override
            public void ping(Buffer data) {
                if (!closed) {
                    socket.writePing(data);
                }
            }

            @Override
            public boolean hasSubscriptions() {
                return !subscriptions.isEmpty();
            }

            @Override
            public void closeFor(short status, String reason) {
                ClientConnection.this.closeFor(status, reason);
            }
        };
    }

    void onText(String text) {
        if (closed) {
            return; // disconnected by the relay: what still arrives until the socket closes is not worth work
        }
        liveness.messageReceived();
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
        public void onAuth(ClientMessage.Auth message) {
            ClientConnection.this.onAuth(message.event());
        }

        @Override
        public void onNegOpen(ClientMessage.NegOpen open) {
            if (negentropyOffered(open.subscriptionId()) && !refusedNegentropy(open.subscriptionId())) {
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
     * A frame over the WebSocket decoder's ceiling, or one that breaks the protocol, fails in the decoder, which
     * Vert.x follows by closing the TCP connection: the close frame with the decoder's status (1009 for a frame too
     * big, 1002 otherwise) goes out first, so a client that reads it knows why. Other errors (a reset connection)
     * are followed by the close handler.
     */
    private void onSocketError(Throwable error) {
        if (!closed && error instanceof CorruptedWebSocketFrameException corrupted) {
            short status = (short) corrupted.closeStatus().code();
            closeFor(status, status == MESSAGE_TOO_BIG ? "message too big" : "protocol error");
        }
    }

    /** Closes the connection with a WebSocket status; later writes are dropped. */
    private void closeFor(short status, String reason) {
        if (!closed) {
            closed = true;
            socket.close(status, reason);
        }
    }

    private boolean isTooLarge(String text) {
        int max = limits.maxMessageBytes();
        return (long) text.length() * 3 > max && text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    private void onPublish(Event event) {
        services.metrics().eventReceived();
        String overRate = overRate(eventRate, address == null ? null : address.events, "events");
        if (overRate != null) {
            refuse(event, AnswerPrefix.RATE_LIMITED.with(overRate));
            return;
        }
        Answer refused = authRefusal(event);
        if (refused != null) {
            refuse(event, refused.text());
            return;
        }
        eventAdmitted();
        // OK answers carry no connection state, so they are written from whichever thread completes.
        boolean byAuthenticatedAuthor = auth.isAuthenticatedAs(event.pubkey());
        services.ingester().ingest(event, byAuthenticatedAuthor).onComplete(done -> {
            OkReply reply = done.succeeded() ? done.result() : OkReply.of(Answer.INTERNAL_ERROR);
            services.metrics().answered(reply.accepted(), reply.message());
            send(RelayMessages.ok(event.id(), reply.accepted(), reply.message()));
            onContext(this::eventAnswered);
        });
    }

    /** An EVENT refused before ingest: OK false with the reason, counted like ingest's answers. */
    private void refuse(Event event, String message) {
        services.metrics().answered(false, message);
        send(RelayMessages.ok(event.id(), false, message));
    }

    /** Why NIP-42 keeps this event out, or null: auth required for writes, or a protected event not from its author. */
    private Answer authRefusal(Event event) {
        if (auth.requiredForWrites()) {
            return Answer.AUTH_REQUIRED_TO_WRITE;
        }
        if (!event.isProtected() || !auth.enabled() || auth.isAuthenticatedAs(event.pubkey())) {
            return null; // with NIP-42 off, ingest refuses protected events itself
        }
        return auth.isAuthenticated() ? Answer.PROTECTED_OTHER_AUTHOR : Answer.PROTECTED_NOT_AUTHENTICATED;
    }

    /**
     * NIP-42: the auth event's claims, its id, then its signature on the same verification path as every event;
     * the connection is authenticated as its pubkey once all pass.
     */
    private void onAuth(Event event) {
        if (!auth.enabled()) {
            send(RelayMessages.ok(event.id(), false, Answer.AUTH_DISABLED.text()));
            return;
        }
        String overRate = overRate(eventRate, address == null ? null : address.events, "events");
        if (overRate != null) { // an AUTH costs a signature check like an EVENT
            send(RelayMessages.ok(event.id(), false, AnswerPrefix.RATE_LIMITED.with(overRate)));
            return;
        }
        String problem = auth.problem(event, services.nowSeconds().getAsLong());
        if (problem != null) {
            send(RelayMessages.ok(event.id(), false, AnswerPrefix.INVALID.with(problem)));
            return;
        }
        if (!EventIds.hasValidId(event)) {
            send(RelayMessages.ok(event.id(), false, Answer.ID_MISMATCH.text()));
            return;
        }
        services.ingester().verifySignature(event).onComplete(verdict -> onContext(() -> {
            Verdict result = verdict.succeeded() ? verdict.result() : Verdict.NOT_VERIFIED;
            switch (result) {
                case VALID -> {
                    auth.authenticated(event.pubkey());
                    send(RelayMessages.ok(event.id(), true, ""));
                }
                case INVALID -> send(RelayMessages.ok(event.id(), false, Answer.BAD_SIGNATURE.text()));
                case NOT_VERIFIED -> send(RelayMessages.ok(event.id(), false, Answer.VERIFICATION_UNAVAILABLE.text()));
            }
        }));
    }

    /** At the pending-events bound the socket stops being read until an answer goes out (fair ingest). */
    private void eventAdmitted() {
        pendingEvents++;
        if (pendingEvents >= maxPendingEvents && !pausedForIngest) {
            pausedForIngest = true;
            socket.pause();
        }
    }

    private void eventAnswered() {
        pendingEvents--;
        if (pausedForIngest && pendingEvents < maxPendingEvents) {
            pausedForIngest = false;
            socket.resume();
        }
    }

    /** Null when both buckets grant one more; otherwise what the client exceeded, for the rate-limited answer. */
    private String overRate(TokenBucket connection, TokenBucket address, String what) {
        long now = System.nanoTime();
        if (!connection.tryTake(now)) {
            guards.rateLimitedOnce();
            return "at most " + connection.limit().describe() + " " + what + " per connection";
        }
        if (address != null && !address.tryTake(now)) {
            guards.rateLimitedOnce();
            return "at most " + address.limit().describe() + " " + what + " from one address";
        }
        return null;
    }

    /** REQ and COUNT before AUTH where reads need it, or over the REQ rates: answered CLOSED here. */
    private boolean refusedQuery(String id) {
        String refusal = queryRefusal();
        if (refusal != null) {
            send(RelayMessages.closed(id, refusal));
        }
        return refusal != null;
    }

    /** NEG-OPEN reads stored events like a REQ and passes the same checks; answered NEG-ERR (NIP-77). */
    private boolean refusedNegentropy(String id) {
        String refusal = queryRefusal();
        if (refusal != null) {
            send(RelayMessages.negErr(id, refusal));
        }
        return refusal != null;
    }

    /** Why a read is refused (auth required for reads, over the REQ rates), or null. */
    private String queryRefusal() {
        if (auth.requiredForReads()) {
            return Answer.AUTH_REQUIRED_TO_READ.text();
        }
        String overRate = overRate(reqRate, address == null ? null : address.reqs, "REQ, COUNT and NEG-OPEN messages");
        return overRate == null ? null : AnswerPrefix.RATE_LIMITED.with(overRate);
    }

    private void onReq(ClientMessage.Req req) {
        long received = System.nanoTime();
        String id = req.subscriptionId();
        if (refusedQuery(id)) {
            return;
        }
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
        long now = services.nowSeconds().getAsLong();
        // completes on a store reader thread, which writes the answer from there
        inTurn(() -> services.store().queryEvents(stored, limits.maxLimit(), now))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        finishStored(subscription, result.result(), received);
                    } else {
                        drop(subscription, QueryBudget.exceeded(result.cause()) ? Answer.QUERY_TOO_SLOW
                                : Answer.QUERY_FAILED);
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
            FrameBatch frames = output.batch(storedEvents.totalBytes() + storedEvents.size() * (prefix.length + 5) + 64);
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

    /**
     * Runs a stored read (REQ, COUNT, NEG-OPEN's items) in this connection's turn: at most
     * {@code max-concurrent-queries-per-connection} at once, then round-robin by address over the node's readers.
     */
    private <T> Future<T> inTurn(Supplier<Future<T>> query) {
        return queries.submit(addressKey, () -> guards.queries().submit(addressKey, query));
    }

    private void onCount(ClientMessage.Count count) {
        String id = count.subscriptionId();
        if (refusedQuery(id)) {
            return;
        }
        long now = services.nowSeconds().getAsLong();
        inTurn(() -> services.store().count(count.filters(), now))
                .onComplete(result -> send(result.succeeded()
                        ? RelayMessages.count(id, result.result())
                        : RelayMessages.closed(id, (QueryBudget.exceeded(result.cause()) ? Answer.QUERY_TOO_SLOW
                        : Answer.COUNT_FAILED).text())));
    }

    /** On the registry's fan-out thread; writes from there (see the class comment). */
    @Override
    public void deliverLive(List<LiveSubscription> matched, LiveEvent event) {
        FrameBatch frames = null;
        int sent = 0;
        for (LiveSubscription subscription : matched) {
            synchronized (subscription) {
                if (!subscription.isActive()) {
                    continue;
                }
                if (!subscription.isAwaitingEose()) {
                    if (frames == null) {
                        frames = output.batch(matched.size() * (event.json().length + 48));
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

    /** Runs {@code action} on the connection's context once the socket has closed. */
    public ClientConnection whenClosed(Runnable action) {
        closeActions.add(action);
        return this;
    }

    private void onClosed() {
        services.metrics().connectionClosed(); // Vert.x calls the close handler once per connection
        closed = true;
        liveness.stop();
        closeActions.forEach(Runnable::run);
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
        write(output.batch(frame.length() + 16).text(frame));
    }

    /**
     * Writes frames after everything written before them; from any thread. Every frame passes here, so here the
     * {@link OutboundLimit} is applied: frames that would take the unwritten output past it are not written, and the
     * client is disconnected.
     */
    private void write(FrameBatch frames) {
        if (closed) {
            frames.release();
        } else if (!output.write(frames)) {
            disconnectSlowReader();
        }
    }

    /** Once: the client gets a NOTICE saying why (past the bound, it may never read it) and is disconnected. */
    private void disconnectSlowReader() {
        if (disconnecting.compareAndSet(false, true)) {
            guards.slowReaderDisconnected(outbound.highestPending());
            onContext(() -> {
                if (!closed) {
                    socket.writeTextMessage(RelayMessages.notice(Answer.SLOW_READER.text()));
                    closeFor(POLICY_VIOLATION, "not reading fast enough");
                }
            });
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
