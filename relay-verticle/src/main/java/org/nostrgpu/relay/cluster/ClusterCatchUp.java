package org.nostrgpu.relay.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.nostrgpu.common.cluster.ClusterMembers;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Keeps a node's copy whole across restarts and partitions: when the node starts (after live replication is
 * consuming, before it serves clients) it catches up with a peer; afterwards it answers the catch-ups of other
 * nodes, and runs one again whenever another member joins the cluster (a restarted node, or the other side of a
 * healed partition). One catch-up runs at a time; a request while one runs is served by the next one.
 */
public final class ClusterCatchUp {
    private static final System.Logger LOG = System.getLogger(ClusterCatchUp.class.getName());
    /** After a member joins, give its event-bus registrations time to reach this node. */
    static final long AFTER_JOIN_DELAY_MS = 3_000;

    private final Vertx vertx;
    private final CatchUp catchUp;
    private final CatchUpResponder responder;
    private Runnable stopListening = () -> { };
    private Future<CatchUp.Result> running;
    private boolean again;
    private volatile CatchUp.Result last;
    private volatile boolean stopped;

    /**
     * @param requestTimeoutMs how long each request of a catch-up waits for its answer
     */
    public ClusterCatchUp(Vertx vertx, String nodeId, Path databaseFile, EventReplicator replicator,
                          LongSupplier nowSeconds, long requestTimeoutMs) {
        this.vertx = vertx;
        this.catchUp = new CatchUp(vertx, nodeId, databaseFile, replicator, nowSeconds, requestTimeoutMs);
        this.responder = new CatchUpResponder(vertx, nodeId, databaseFile, replicator, nowSeconds);
    }

    /** Catches up (a failure is logged, not fatal), then answers others and follows member joins. */
    public Future<Void> start() {
        return runNow().otherwiseEmpty().compose(v -> responder.start()).onSuccess(v ->
                stopListening = ClusterMembers.onMemberAdded(vertx, () -> vertx.setTimer(AFTER_JOIN_DELAY_MS,
                        ignored -> runNow())));
    }

    public Future<Void> stop() {
        stopped = true;
        stopListening.run();
        return responder.stop();
    }

    /** The last finished catch-up, or null before the first. */
    public CatchUp.Result lastResult() {
        return last;
    }

    /** Runs a catch-up now, or after the one running (whose result the caller then gets as well). */
    public synchronized Future<CatchUp.Result> runNow() {
        if (stopped) {
            return Future.failedFuture(new IllegalStateException("stopped"));
        }
        if (running != null) {
            again = true;
            return running;
        }
        long started = System.nanoTime();
        Promise<CatchUp.Result> done = Promise.promise();
        running = done.future();
        catchUp.run().onComplete(result -> {
            if (result.succeeded()) {
                last = result.result();
                log(result.result(), (System.nanoTime() - started) / 1_000_000);
            } else {
                LOG.log(Level.WARNING, "cluster catch-up failed: " + result.cause().getMessage()
                        + "; this node may miss events until the next one");
            }
            boolean runAgain;
            synchronized (this) {
                running = null;
                runAgain = again;
                again = false;
            }
            done.handle(result);
            if (runAgain) {
                runNow();
            }
        });
        return done.future();
    }

    private static void log(CatchUp.Result result, long millis) {
        if (result.peer() == null) {
            LOG.log(Level.INFO, "cluster catch-up: no other relay node answered; serving the local database as it is");
            return;
        }
        LOG.log(Level.INFO, "cluster catch-up with node " + result.peer() + " in " + millis + " ms: "
                + result.rounds() + " round trips, " + result.bytes() + " negentropy bytes; fetched "
                + result.fetched() + " (" + result.storedNew() + " new here), sent " + result.sent() + " ("
                + result.storedByPeer() + " new there)");
    }
}
