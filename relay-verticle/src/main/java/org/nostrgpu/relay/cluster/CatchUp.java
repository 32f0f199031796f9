package org.nostrgpu.relay.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.nostrgpu.common.bus.CatchUpProtocol;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.common.negentropy.Negentropy;
import org.nostrgpu.relay.bulk.StoredEvents;
import org.nostrgpu.relay.sync.StoredItems;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The asking side of the cluster catch-up ({@link CatchUpProtocol}): reconciles this node's stored events with one
 * peer's, fetches what only the peer has (stored as replicated events are: from a cluster member, not verified
 * again) and sends the peer what only this node has. Each step's blocking work runs on a worker thread.
 */
public final class CatchUp {
    /** Most events reconciled in one catch-up (held in memory, 40 bytes each, on both sides). */
    static final int MAX_ITEMS = 50_000_000;
    /** Largest negentropy message on the bus. */
    static final int FRAME_SIZE_LIMIT = 1 << 20;
    static final int IDS_PER_FETCH = 2_000;
    /** Attempts to reach a node other than this one through the open address's round robin. */
    static final int OPEN_ATTEMPTS = 6;
    /** Attempts while nobody answers the open address at all, {@link #NO_HANDLER_RETRY_MS} apart. */
    static final int NO_HANDLER_ATTEMPTS = 3;
    static final long NO_HANDLER_RETRY_MS = 500;

    private final Vertx vertx;
    private final String nodeId;
    private final Path databaseFile;
    private final EventReplicator replicator;
    private final LongSupplier nowSeconds;
    /** Each request's wait for its answer; a peer the event bus cannot reach answers nothing. */
    private final long requestTimeoutMs;

    /**
     * What one catch-up did.
     *
     * @param peer      the node reconciled with, null when no other node answered
     * @param fetched   events only the peer had, received from it
     * @param storedNew of those, stored here as new
     * @param sent      events only this node had, sent to the peer
     * @param bytes     negentropy bytes exchanged (both ways)
     */
    public record Result(String peer, int rounds, long bytes, int fetched, long storedNew, int sent, long storedByPeer) {
        static Result noPeer() {
            return new Result(null, 0, 0, 0, 0, 0, 0);
        }
    }

    CatchUp(Vertx vertx, String nodeId, Path databaseFile, EventReplicator replicator, LongSupplier nowSeconds,
            long requestTimeoutMs) {
        this.vertx = vertx;
        this.requestTimeoutMs = requestTimeoutMs;
        this.nodeId = nodeId;
        this.databaseFile = databaseFile;
        this.replicator = replicator;
        this.nowSeconds = nowSeconds;
    }

    Future<Result> run() {
        String session = nodeId + "/" + UUID.randomUUID();
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        long[] bytes = {0};
        int[] rounds = {0};
        return vertx.executeBlocking(() -> {
            ItemSet items = StoredItems.load(databaseFile, Filter.all(), nowSeconds.getAsLong(), MAX_ITEMS);
            return new Negentropy(items, FRAME_SIZE_LIMIT);
        }, false).compose(negentropy -> {
            byte[] first = negentropy.initiate();
            bytes[0] += first.length;
            return open(session, first, 1).compose(opened -> {
                if (opened == null) {
                    return Future.succeededFuture(Result.noPeer());
                }
                String peer = opened.headers().get(CatchUpProtocol.ORIGIN_HEADER);
                return reconcile(negentropy, peer, session, opened.body(), have, need, bytes, rounds)
                        .compose(v -> fetch(peer, session, need, 0, new long[2]))
                        .compose(fetched -> send(peer, session, have, 0, 0)
                                .map(storedByPeer -> new Result(peer, rounds[0], bytes[0], (int) fetched[0],
                                        fetched[1], have.size(), storedByPeer)))
                        .eventually(() -> request(peer, session, CatchUpProtocol.OP_CLOSE, Buffer.buffer())
                                .otherwiseEmpty());
            });
        });
    }

    /** The open request, again while it reaches this node itself; null when no other node is there. */
    private Future<Message<Buffer>> open(String session, byte[] first, int attempt) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(requestTimeoutMs)
                .addHeader(CatchUpProtocol.ORIGIN_HEADER, nodeId)
                .addHeader(CatchUpProtocol.SESSION_HEADER, session);
        return vertx.eventBus().<Buffer>request(CatchUpProtocol.OPEN_ADDRESS, Buffer.buffer(first), options)
                .recover(failure -> {
                    if (failure instanceof ReplyException reply) {
                        if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
                            // the first relay of a cluster; or the others' registrations have not reached a node
                            // that has just joined: ask again a little later before starting without a catch-up
                            return attempt < NO_HANDLER_ATTEMPTS ? delay(NO_HANDLER_RETRY_MS)
                                    .compose(v -> open(session, first, attempt + 1)) : Future.succeededFuture(null);
                        }
                        if (reply.failureCode() == CatchUpProtocol.SELF_FAILURE) {
                            return attempt < OPEN_ATTEMPTS ? open(session, first, attempt + 1)
                                    : Future.succeededFuture(null);
                        }
                    }
                    return Future.failedFuture(failure);
                });
    }

    private Future<Void> delay(long millis) {
        Promise<Void> elapsed = Promise.promise();
        vertx.setTimer(millis, ignored -> elapsed.complete());
        return elapsed.future();
    }

    private Future<Void> reconcile(Negentropy negentropy, String peer, String session, Buffer answer,
                                   List<byte[]> have, List<byte[]> need, long[] bytes, int[] rounds) {
        rounds[0]++;
        bytes[0] += answer.length();
        return vertx.executeBlocking(() -> negentropy.next(answer.getBytes(), have, need), false).compose(next -> {
            if (next == null) {
                return Future.succeededFuture();
            }
            bytes[0] += next.length;
            return request(peer, session, CatchUpProtocol.OP_MESSAGE, Buffer.buffer(next))
                    .compose(reply -> reconcile(negentropy, peer, session, reply.body(), have, need, bytes, rounds));
        });
    }

    /** Fetches {@code need} from {@code from} on; totals[0] events received, totals[1] stored as new. */
    private Future<long[]> fetch(String peer, String session, List<byte[]> need, int from, long[] totals) {
        if (from >= need.size()) {
            return Future.succeededFuture(totals);
        }
        int to = Math.min(need.size(), from + IDS_PER_FETCH);
        Buffer ids = Buffer.buffer((to - from) * 32);
        need.subList(from, to).forEach(ids::appendBytes);
        return request(peer, session, CatchUpProtocol.OP_FETCH, ids).compose(reply -> {
            List<Future<ReplicationMetrics.Outcome>> stored = new ArrayList<>();
            for (String line : reply.body().toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    stored.add(replicator.accept(line));
                }
            }
            return Future.join(stored).transform(done -> {
                totals[0] += stored.size();
                totals[1] += stored.stream().filter(outcome -> outcome.succeeded()
                        && outcome.result() == ReplicationMetrics.Outcome.STORED).count();
                return fetch(peer, session, need, to, totals);
            });
        });
    }

    /** Sends what only this node has, in chunks; completes with the number the peer stored as new. */
    private Future<Long> send(String peer, String session, List<byte[]> have, int from, long storedByPeer) {
        if (from >= have.size()) {
            return Future.succeededFuture(storedByPeer);
        }
        int to = Math.min(have.size(), from + IDS_PER_FETCH);
        return vertx.executeBlocking(() -> {
            Buffer lines = Buffer.buffer();
            StoredEvents.byIds(databaseFile, have.subList(from, to), nowSeconds.getAsLong(),
                    json -> lines.appendString(json).appendByte((byte) '\n'));
            return lines;
        }, false).compose(lines -> request(peer, session, CatchUpProtocol.OP_STORE, lines))
                .compose(reply -> send(peer, session, have, to,
                        storedByPeer + Long.parseLong(reply.body().toString(StandardCharsets.UTF_8))));
    }

    private Future<Message<Buffer>> request(String peer, String session, String op, Buffer body) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(requestTimeoutMs)
                .addHeader(CatchUpProtocol.ORIGIN_HEADER, nodeId)
                .addHeader(CatchUpProtocol.SESSION_HEADER, session)
                .addHeader(CatchUpProtocol.OP_HEADER, op);
        return vertx.eventBus().request(CatchUpProtocol.nodeAddress(peer), body, options);
    }

    static List<byte[]> splitIds(Buffer ids) {
        List<byte[]> out = new ArrayList<>(ids.length() / 32);
        for (int offset = 0; offset + 32 <= ids.length(); offset += 32) {
            out.add(ids.getBytes(offset, offset + 32));
        }
        return out;
    }
}
