package org.nostrgpu.app;

import io.vertx.core.Vertx;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.relay.RelayNode;
import org.nostrgpu.relay.RelayNodeOptions;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.util.concurrent.TimeUnit;

/**
 * A relay node in this process that serves no clients: the store, verification (an embedded worker, so the GPU
 * when there is one, or this process's CPU threads) and the ingest stage. The bulk commands store through it, so
 * imported and fetched events get exactly the relay's checks and storage rules.
 */
final class HeadlessRelay implements AutoCloseable {
    private static final long START_TIMEOUT_S = 120;
    private static final long STOP_TIMEOUT_S = 120;
    /**
     * Batch sizes the bulk commands use at least, whatever the relay's configuration says: a transaction of 5 000
     * events cost 28 µs of SQLite per event where 1 000 cost 37 (100 000 events imported, 2026-12-05).
     */
    static final int MIN_VERIFY_BATCH = 4_096;
    static final int MIN_WRITE_BATCH = 5_000;

    private final Vertx vertx;
    private final RelayNode node;

    private HeadlessRelay(Vertx vertx, RelayNode node) {
        this.vertx = vertx;
        this.node = node;
    }

    static HeadlessRelay start(RelayConfig relayConfig) throws Exception {
        RelayConfig config = relayConfig.withBatchSizesAtLeast(MIN_VERIFY_BATCH, MIN_WRITE_BATCH);
        Vertx vertx = Vertx.vertx();
        try {
            RelayNode node = RelayNode.startHeadless(vertx, config,
                            RelayNodeOptions.defaults().withEmbeddedWorker(VerificationWorkerVerticle::embeddedIn))
                    .await(START_TIMEOUT_S, TimeUnit.SECONDS);
            return new HeadlessRelay(vertx, node);
        } catch (Exception e) {
            vertx.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
            throw e;
        }
    }

    RelayNode node() {
        return node;
    }

    Vertx vertx() {
        return vertx;
    }

    /** Commits what is pending, closes the database and stops Vert.x. */
    @Override
    public void close() throws Exception {
        try {
            node.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(STOP_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }
}
