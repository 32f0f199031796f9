package org.nostrgpu.relay.sync;

import io.vertx.core.Future;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.Negentropy;
import org.nostrgpu.common.negentropy.NegentropyException;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One client connection's NIP-77 sessions: {@code NEG-OPEN} loads the matching items and answers the initial
 * message, {@code NEG-MSG} answers the next one, {@code NEG-CLOSE} forgets the session; every failure is a
 * {@code NEG-ERR} that ends that session only. A NEG-OPEN's items are read like a REQ's events: in the connection's
 * {@link QueryTurn} (its own queue, then the node's fair one), by the store's readers within the negentropy time
 * budget. Fingerprints are computed on the service's worker pool. This connection's steps run one at a time, so the
 * steps of a session run in the order they arrived.
 */
public final class NegentropySessions {
    private static final System.Logger LOG = System.getLogger(NegentropySessions.class.getName());

    private final NegentropyService service;
    private final Replies replies;
    private final QueryTurn turn;
    /** Open sessions by subscription id; a session whose load is still running has a null engine. */
    private final Map<String, Session> sessions = new HashMap<>();
    private Future<Void> previousStep = Future.succeededFuture();

    private static final class Session {
        Negentropy engine;
        /** When the client last sent a message of this session. */
        long lastUsedNanos = System.nanoTime();
    }

    /** How answers reach the client; called from any thread. */
    public interface Replies {
        /** {@code ["NEG-MSG", id, hex]}. */
        void message(String subscriptionId, String hexMessage);

        /** {@code ["NEG-ERR", id, reason]}: the session is over. */
        void error(String subscriptionId, String reason);
    }

    /**
     * Runs work that reads stored events for this connection when its query queues let it, as they run its REQs and
     * COUNTs; the turn lasts until the work's future completes.
     */
    @FunctionalInterface
    public interface QueryTurn {
        Future<Void> run(Supplier<Future<Void>> work);
    }

    NegentropySessions(NegentropyService service, Replies replies, QueryTurn turn) {
        this.service = service;
        this.replies = replies;
        this.turn = turn;
    }

    /** {@code ["NEG-OPEN", id, filter, hex]}; an open session with the same id is replaced. */
    public synchronized void open(String subscriptionId, Filter filter, String hexMessage) {
        sessions.remove(subscriptionId);
        if (sessions.size() >= service.maxSessionsPerConnection()) {
            sendError(subscriptionId, AnswerPrefix.BLOCKED.with("too many open negentropy sessions (at most "
                    + service.maxSessionsPerConnection() + " per connection), NEG-CLOSE one first"));
            return;
        }
        byte[] message = decodeHex(subscriptionId, hexMessage);
        if (message == null) {
            return;
        }
        Session session = new Session();
        sessions.put(subscriptionId, session);
        // the whole opening step (items, first answer, its reply) holds the connection's turn, so a REQ or COUNT
        // sent after this NEG-OPEN is answered after it, as it would be after an earlier REQ
        previousStep = previousStep.transform(ignored -> turn.run(() -> !isOpen(subscriptionId, session)
                ? Future.succeededFuture() // closed or replaced while waiting: the client expects nothing
                : answer(subscriptionId, session, () -> service.itemsMatching(filter)
                        .compose(items -> service.runBlocking(() -> {
                            Negentropy engine = new Negentropy(items, service.frameSizeLimit());
                            byte[] answer = engine.respond(message);
                            synchronized (this) {
                                session.engine = engine;
                            }
                            return answer;
                        })))));
    }

    /** {@code ["NEG-MSG", id, hex]}. */
    public synchronized void message(String subscriptionId, String hexMessage) {
        Session session = sessions.get(subscriptionId);
        if (session == null) {
            sendError(subscriptionId, "closed: no open negentropy session with this id");
            return;
        }
        byte[] message = decodeHex(subscriptionId, hexMessage);
        if (message == null) {
            return;
        }
        session.lastUsedNanos = System.nanoTime();
        previousStep = previousStep.transform(ignored -> answer(subscriptionId, session,
                () -> service.runBlocking(() -> {
                    Negentropy engine;
                    synchronized (this) {
                        engine = session.engine;
                    }
                    if (engine == null) {
                        throw new NegentropyException("the session failed to open");
                    }
                    return engine.respond(message);
                })));
    }

    /** {@code ["NEG-CLOSE", id]}: no answer. */
    public synchronized void close(String subscriptionId) {
        sessions.remove(subscriptionId);
    }

    /** The connection closed. */
    public synchronized void closeAll() {
        sessions.clear();
        service.forget(this);
    }

    /**
     * Ends the sessions whose client sent nothing for {@code idleNanos} (their items are held in memory), with
     * {@code NEG-ERR "closed: ..."}; a session whose step is still running is not idle.
     */
    synchronized void expireIdle(long nowNanos, long idleNanos) {
        sessions.entrySet().removeIf(entry -> {
            Session session = entry.getValue();
            boolean idle = session.engine != null && nowNanos - session.lastUsedNanos > idleNanos;
            if (idle) {
                sendError(entry.getKey(), "closed: no message for " + idleNanos / 1_000_000_000L
                        + " s, the session was dropped");
            }
            return idle;
        });
    }

    synchronized int openSessions() {
        return sessions.size();
    }

    private synchronized boolean isOpen(String subscriptionId, Session session) {
        return sessions.get(subscriptionId) == session;
    }

    /** Runs one step of a session and replies with its answer or error; completes once the reply is sent. */
    private Future<Void> answer(String subscriptionId, Session session, Supplier<Future<byte[]>> work) {
        Future<byte[]> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            started = Future.failedFuture(e);
        }
        return started.onComplete(done -> finish(subscriptionId, session, done.succeeded() ? done.result() : null,
                        done.cause()))
                .mapEmpty();
    }

    private synchronized void finish(String subscriptionId, Session session, byte[] answer, Throwable failure) {
        if (sessions.get(subscriptionId) != session) {
            return; // closed or replaced meanwhile: the client expects nothing more from this one
        }
        if (failure == null) {
            session.lastUsedNanos = System.nanoTime(); // the client's turn starts now
            replies.message(subscriptionId, Hex.encode(answer));
            return;
        }
        sessions.remove(subscriptionId);
        String reason;
        if (failure instanceof NegentropyException) {
            reason = AnswerPrefix.INVALID.with(failure.getMessage());
        } else if (failure instanceof StoredItems.TooManyItemsException) {
            reason = AnswerPrefix.BLOCKED.with(failure.getMessage());
        } else if (failure instanceof StoredItems.OverBudgetException) {
            reason = AnswerPrefix.ERROR.with(failure.getMessage());
        } else {
            LOG.log(Level.WARNING, "negentropy session " + subscriptionId + " failed", failure);
            reason = AnswerPrefix.ERROR.with("could not read the stored events");
        }
        sendError(subscriptionId, reason);
    }

    private byte[] decodeHex(String subscriptionId, String hex) {
        if (!isHex(hex)) {
            sessions.remove(subscriptionId);
            sendError(subscriptionId, AnswerPrefix.INVALID.with("the negentropy message must be lowercase hex"));
            return null;
        }
        return Hex.decode(hex);
    }

    private static boolean isHex(String text) {
        if (text.isEmpty() || text.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private void sendError(String subscriptionId, String reason) {
        replies.error(subscriptionId, reason);
    }
}
