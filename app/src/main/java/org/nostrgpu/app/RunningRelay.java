package org.nostrgpu.app;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.relay.RelayNode;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/** A relay node with its own Vert.x instance, started and stopped as one. */
final class RunningRelay {
    private static final long START_TIMEOUT_S = 60;
    private static final long STOP_TIMEOUT_S = 30;

    private final Vertx vertx;
    private final RelayNode node;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;

    private RunningRelay(Vertx vertx, RelayNode node) {
        this.vertx = vertx;
        this.node = node;
    }

    static RunningRelay start(RelayConfig config) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, config.eventLoops())));
        try {
            RelayNode node = RelayNode.start(vertx, config)
                    .toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S, TimeUnit.SECONDS);
            return new RunningRelay(vertx, node);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    int port() {
        return node.port();
    }

    RelayNode node() {
        return node;
    }

    /**
     * Closes the relay (connections, pending writes, database), then Vert.x. Safe to call more than once.
     * Runs in the shutdown hook, so it reports through {@link OneLineLogFormat#printDirect}.
     */
    void stop() {
        synchronized (this) {
            if (stopping) {
                awaitQuietly();
                return;
            }
            stopping = true;
        }
        String logger = RunningRelay.class.getName();
        OneLineLogFormat.printDirect(Level.INFO, logger, "shutting down: closing connections, committing pending writes");
        try {
            node.close().eventually(() -> vertx.close())
                    .toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            OneLineLogFormat.printDirect(Level.INFO, logger, "stopped cleanly");
        } catch (Exception e) {
            OneLineLogFormat.printDirect(Level.WARNING, logger, "shutdown did not finish cleanly: " + e);
        } finally {
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void awaitQuietly() {
        try {
            stopped.await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
