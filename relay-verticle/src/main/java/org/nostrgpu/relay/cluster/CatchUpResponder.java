package org.nostrgpu.relay.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.nostrgpu.common.bus.CatchUpProtocol;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.common.negentropy.Negentropy;
import org.nostrgpu.common.negentropy.NegentropyException;
import org.nostrgpu.relay.bulk.StoredEvents;
import org.nostrgpu.relay.sync.StoredItems;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The answering side of the cluster catch-up ({@link CatchUpProtocol}): another node's negentropy sessions over
 * this node's stored events, the events it asks for, and the events it sends (stored as replicated ones are).
 * Blocking steps run on worker threads; idle sessions are dropped after {@link #IDLE_SESSION_MS}.
 */
final class CatchUpResponder {
    private static final System.Logger LOG = System.getLogger(CatchUpResponder.class.getName());
    static final long IDLE_SESSION_MS = 120_000;

    private final Vertx vertx;
    private final String nodeId;
    private final Path databaseFile;
    private final EventReplicator replicator;
    private final LongSupplier nowSeconds;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();
    private long sweepTimer = -1;

    private static final class Session {
        final Negentropy negentropy;
        volatile long lastUsedMs = System.currentTimeMillis();

        Session(Negentropy negentropy) {
            this.negentropy = negentropy;
        }
    }

    CatchUpResponder(Vertx vertx, String nodeId, Path databaseFile, EventReplicator replicator,
                     LongSupplier nowSeconds) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.databaseFile = databaseFile;
        this.replicator = replicator;
        this.nowSeconds = nowSeconds;
    }

    /** Registers on the open address and this node's own; completes once both reached the cluster. */
    Future<Void> start() {
        EventBus bus = vertx.eventBus();
        consumers.add(bus.consumer(CatchUpProtocol.OPEN_ADDRESS, this::open));
        consumers.add(bus.consumer(CatchUpProtocol.nodeAddress(nodeId), this::step));
        sweepTimer = vertx.setPeriodic(IDLE_SESSION_MS / 2, ignored -> dropIdleSessions());
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
    }

    Future<Void> stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        sessions.clear();
        return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    }

    private void open(Message<Buffer> request) {
        if (nodeId.equals(request.headers().get(CatchUpProtocol.ORIGIN_HEADER))) {
            request.fail(CatchUpProtocol.SELF_FAILURE, "this is the asking node");
            return;
        }
        String session = request.headers().get(CatchUpProtocol.SESSION_HEADER);
        byte[] message = request.body().getBytes();
        vertx.executeBlocking(() -> {
            ItemSet items = StoredItems.load(databaseFile, Filter.all(), nowSeconds.getAsLong(), CatchUp.MAX_ITEMS);
            Negentropy negentropy = new Negentropy(items, CatchUp.FRAME_SIZE_LIMIT);
            byte[] answer = negentropy.respond(message);
            sessions.put(session, new Session(negentropy));
            return answer;
        }, false).onComplete(done -> reply(request, done.succeeded() ? Buffer.buffer(done.result()) : null,
                done.cause()));
    }

    private void step(Message<Buffer> request) {
        String op = String.valueOf(request.headers().get(CatchUpProtocol.OP_HEADER));
        String sessionId = request.headers().get(CatchUpProtocol.SESSION_HEADER);
        Session session = sessionId == null ? null : sessions.get(sessionId);
        if (session == null) {
            request.fail(CatchUpProtocol.ERROR_FAILURE, "no catch-up session " + sessionId + " here");
            return;
        }
        session.lastUsedMs = System.currentTimeMillis();
        switch (op) {
            case CatchUpProtocol.OP_MESSAGE -> {
                byte[] message = request.body().getBytes();
                vertx.executeBlocking(() -> {
                    synchronized (session) {
                        return session.negentropy.respond(message);
                    }
                }, false).onComplete(done -> reply(request, done.succeeded() ? Buffer.buffer(done.result()) : null,
                        done.cause()));
            }
            case CatchUpProtocol.OP_FETCH -> {
                List<byte[]> ids = CatchUp.splitIds(request.body());
                vertx.executeBlocking(() -> {
                    Buffer lines = Buffer.buffer();
                    StoredEvents.byIds(databaseFile, ids, nowSeconds.getAsLong(),
                            json -> lines.appendString(json).appendByte((byte) '\n'));
                    return lines;
                }, false).onComplete(done -> reply(request, done.result(), done.cause()));
            }
            case CatchUpProtocol.OP_STORE -> {
                List<Future<ReplicationMetrics.Outcome>> stored = new ArrayList<>();
                for (String line : request.body().toString(StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isEmpty()) {
                        stored.add(replicator.accept(line));
                    }
                }
                Future.join(stored).onComplete(done -> {
                    long storedNew = stored.stream().filter(outcome -> outcome.succeeded()
                            && outcome.result() == ReplicationMetrics.Outcome.STORED).count();
                    request.reply(Buffer.buffer(Long.toString(storedNew)));
                });
            }
            case CatchUpProtocol.OP_CLOSE -> {
                sessions.remove(sessionId);
                request.reply(Buffer.buffer());
            }
            default -> request.fail(CatchUpProtocol.ERROR_FAILURE, "unknown catch-up operation " + op);
        }
    }

    private void reply(Message<Buffer> request, Buffer body, Throwable failure) {
        if (failure == null) {
            request.reply(body, new DeliveryOptions().addHeader(CatchUpProtocol.ORIGIN_HEADER, nodeId));
            return;
        }
        if (!(failure instanceof NegentropyException)) {
            LOG.log(Level.WARNING, "catch-up request failed", failure);
        }
        request.fail(CatchUpProtocol.ERROR_FAILURE, String.valueOf(failure.getMessage()));
    }

    private void dropIdleSessions() {
        long now = System.currentTimeMillis();
        sessions.values().removeIf(session -> now - session.lastUsedMs > IDLE_SESSION_MS);
    }

    int openSessions() {
        return sessions.size();
    }
}
