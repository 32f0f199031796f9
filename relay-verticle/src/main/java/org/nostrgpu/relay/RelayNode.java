package org.nostrgpu.relay;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.relay.connection.ConnectionServices;
import org.nostrgpu.relay.housekeeping.ExpiredEventCollector;
import org.nostrgpu.relay.info.InfoRequestHandler;
import org.nostrgpu.relay.info.RelayInformationDocument;
import org.nostrgpu.relay.info.RelayVersion;
import org.nostrgpu.relay.ingest.EventIngester;
import org.nostrgpu.relay.live.SubscriptionRegistry;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;
import org.nostrgpu.relay.verify.LocalVerificationClient;
import org.nostrgpu.relay.verify.VerificationClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * A running relay: the store, the shared pipeline stages (verification client, ingester, live subscription
 * registry, periodic expired-event collection) and one {@link RelayVerticle} per configured event loop. Used by the
 * application and by tests; {@link #close()} shuts everything down in order.
 */
public final class RelayNode {
    private static final Logger LOG = Logger.getLogger(RelayNode.class.getName());
    /** Verification batches running at once: one verifying while the next accumulates. */
    private static final int VERIFY_BATCHES_IN_FLIGHT = 2;
    /** Batches' worth of signatures allowed to wait before new events are refused as overload. */
    private static final int VERIFY_QUEUED_BATCHES = 16;
    private static final long DRAIN_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final EventStore store;
    private final VerificationClient verification;
    private final EventIngester ingester;
    private final ExpiredEventCollector collector;
    private final List<String> deployments = new ArrayList<>();
    private int port;

    private RelayNode(Vertx vertx, EventStore store, VerificationClient verification, EventIngester ingester,
                      ExpiredEventCollector collector) {
        this.vertx = vertx;
        this.store = store;
        this.verification = verification;
        this.ingester = ingester;
        this.collector = collector;
    }

    /** Opens the SQLite store under the configured data directory, then starts the relay. */
    public static Future<RelayNode> start(Vertx vertx, RelayConfig config) {
        return SqliteEventStore.open(vertx, StoreOptions.from(config)).compose(store -> {
            LongSupplier clock = () -> System.currentTimeMillis() / 1000;
            VerificationClient verification = new LocalVerificationClient(vertx,
                    new CpuSchnorrVerifier(config.verifierThreads()), config.verifyBatchSize(),
                    VERIFY_BATCHES_IN_FLIGHT, VERIFY_QUEUED_BATCHES * config.verifyBatchSize());
            SubscriptionRegistry registry = new SubscriptionRegistry();
            EventIngester ingester = new EventIngester(store, verification, registry, config.limits(), clock);
            ExpiredEventCollector collector = new ExpiredEventCollector(vertx, store, config.gcIntervalSeconds());
            RelayNode node = new RelayNode(vertx, store, verification, ingester, collector);
            ConnectionServices services = new ConnectionServices(ingester, store, registry, config.limits(), clock);
            InfoRequestHandler info = new InfoRequestHandler(RelayInformationDocument.build(config, RelayVersion.get()));
            return node.deploy(config, services, info)
                    .onSuccess(deployed -> collector.start())
                    .map(node)
                    .recover(failure -> node.close().transform(closed -> Future.failedFuture(failure)));
        });
    }

    private Future<Void> deploy(RelayConfig config, ConnectionServices services, InfoRequestHandler info) {
        int listenPort;
        try {
            listenPort = config.port() == 0 ? freePort(config.host()) : config.port();
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        return vertx.deployVerticle(() -> new RelayVerticle(config.host(), listenPort, services, info),
                        new DeploymentOptions().setInstances(Math.max(1, config.eventLoops())))
                .map(id -> {
                    deployments.add(id);
                    port = listenPort;
                    return null;
                });
    }

    /**
     * Vert.x shares one listening socket between instances only when they ask for the same concrete port,
     * so port 0 ("any free port") is resolved once here. Another process could take it before the bind;
     * the start then fails with "address in use" rather than listening on the wrong port.
     */
    private static int freePort(String host) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return probe.getLocalPort();
        }
    }

    /** The port the relay listens on. */
    public int port() {
        return port;
    }

    /** The verification backend in use, e.g. "cpu(2 threads)". */
    public String verificationBackend() {
        return verification.describe();
    }

    /**
     * Stops accepting connections and closes open ones, waits (bounded) for events already being processed to
     * get their answer, then stops verification and closes the store, which commits pending writes.
     */
    public Future<Void> close() {
        collector.stop();
        List<Future<?>> undeployed = new ArrayList<>();
        for (String id : deployments) {
            undeployed.add(vertx.undeploy(id));
        }
        deployments.clear();
        return Future.join(undeployed)
                .transform(ignored -> drainIngest())
                .transform(ignored -> verification.close())
                .transform(ignored -> store.close())
                .onSuccess(ignored -> LOG.info("relay stopped"));
    }

    private Future<Void> drainIngest() {
        Promise<Void> drained = Promise.promise();
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        checkDrained(drained, deadline);
        return drained.future();
    }

    private void checkDrained(Promise<Void> drained, long deadline) {
        if (ingester.inFlight() == 0) {
            drained.complete();
        } else if (System.currentTimeMillis() > deadline) {
            LOG.warning(ingester.inFlight() + " events still in flight at shutdown");
            drained.complete();
        } else {
            vertx.setTimer(10, ignored -> checkDrained(drained, deadline));
        }
    }
}
