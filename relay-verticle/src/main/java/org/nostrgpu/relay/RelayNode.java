package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.StartupException;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.inspect.StatsResponder;
import org.nostrgpu.common.inspect.StatusPage;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.metrics.RegisteredMeters;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.relay.cluster.CatchUp;
import org.nostrgpu.relay.cluster.ClusterCatchUp;
import org.nostrgpu.relay.cluster.ClusterEventPublisher;
import org.nostrgpu.relay.cluster.EventReplicator;
import org.nostrgpu.relay.cluster.ReplicationMetrics;
import org.nostrgpu.relay.connection.ConnectionGuards;
import org.nostrgpu.relay.connection.ConnectionMetrics;
import org.nostrgpu.relay.connection.ConnectionServices;
import org.nostrgpu.relay.connection.GuardMetrics;
import org.nostrgpu.relay.health.HealthRequestHandler;
import org.nostrgpu.relay.health.ReadinessCheck;
import org.nostrgpu.relay.health.VerificationReadiness;
import org.nostrgpu.relay.housekeeping.ExpiredEventCollector;
import org.nostrgpu.relay.info.InfoRequestHandler;
import org.nostrgpu.relay.info.RelayInformationDocument;
import org.nostrgpu.relay.info.RelayVersion;
import org.nostrgpu.relay.ingest.EventIngester;
import org.nostrgpu.relay.inspect.RelayStatsSource;
import org.nostrgpu.relay.live.EventFanOut;
import org.nostrgpu.relay.live.SubscriptionRegistry;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreMetrics;
import org.nostrgpu.relay.store.StoreOptions;
import org.nostrgpu.relay.sync.NegentropyService;
import org.nostrgpu.relay.verify.EventBusVerificationClient;
import org.nostrgpu.relay.verify.LocalVerificationClient;
import org.nostrgpu.relay.verify.MeteredVerificationClient;
import org.nostrgpu.relay.verify.VerificationClient;
import org.nostrgpu.relay.verify.VerificationMetrics;
import org.nostrgpu.relay.verify.VerificationPlan;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * A running relay: the store, the shared pipeline stages (verification client, ingester, live subscription
 * registry, periodic expired-event collection) and one {@link RelayVerticle} per configured event loop. Used by the
 * application and by tests; {@link #close()} shuts everything down in order.
 *
 * <p>Verification follows {@link VerificationPlan}: by default through a verification worker on the event bus,
 * deployed in this JVM when the node is not clustered (the embedded default, which takes the same path as a
 * cluster; the worker comes from {@link RelayNodeOptions#embeddedWorker()}) and the cluster's workers when it is. A clustered node also publishes the events it accepts to the
 * other relay nodes and replicates theirs ({@link org.nostrgpu.relay.cluster}).
 */
public final class RelayNode {
    private static final System.Logger LOG = System.getLogger(RelayNode.class.getName());
    /** Verification batches running at once in this JVM's CPU verifier: one verifying while the next accumulates. */
    private static final int VERIFY_BATCHES_IN_FLIGHT = 2;
    /** Batches' worth of signatures allowed to wait before new events are refused as overload. */
    private static final int VERIFY_QUEUED_BATCHES = 16;
    private static final long DRAIN_TIMEOUT_MS = 10_000;
    /** How often addresses without connections whose rate buckets have refilled are forgotten. */
    private static final long FORGET_ADDRESSES_MS = 60_000;

    private final Vertx vertx;
    private final String nodeId = UUID.randomUUID().toString();
    private final PrometheusMeterRegistry registry;
    private final VerificationPlan plan;
    private final VerificationMetrics verificationMetrics;
    private final ReplicationMetrics replicationMetrics;
    private final StoreMetrics storeMetrics;
    private ConnectionMetrics connectionMetrics;
    private StatsResponder statsResponder;
    private final StatusPage statusPage;
    private final List<String> deployments = new ArrayList<>();
    /** Matches accepted events against live subscriptions and writes their frames (see SubscriptionRegistry). */
    private final ExecutorService fanOutThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "live-fan-out");
        thread.setDaemon(true);
        return thread;
    });
    private SqliteEventStore store;
    private VerificationClient verification;
    private EventIngester ingester;
    private ExpiredEventCollector collector;
    private EventReplicator replicator;
    private NegentropyService negentropy;
    private ClusterCatchUp catchUp;
    private volatile String workerDeployment;
    private volatile boolean closing;
    private long addressSweep = -1;
    private ConnectionGuards guards;
    private RegisteredMeters guardMeters;
    private int port;

    private RelayNode(Vertx vertx, PrometheusMeterRegistry registry, VerificationPlan plan) {
        this.vertx = vertx;
        this.registry = registry;
        this.plan = plan;
        this.verificationMetrics = new VerificationMetrics(registry);
        this.replicationMetrics = vertx.isClustered() ? new ReplicationMetrics(registry) : null;
        this.storeMetrics = new StoreMetrics(registry);
        this.statusPage = new StatusPage(vertx);
    }

    /** Opens the SQLite store under the configured data directory, then starts the relay. */
    public static Future<RelayNode> start(Vertx vertx, RelayConfig config, RelayNodeOptions options) {
        return start(vertx, config, options, true);
    }

    /**
     * Opens the store and starts verification and ingest without listening for clients or collecting expired
     * events: what the bulk tools (import, sync) use to store events with exactly the relay's semantics.
     */
    public static Future<RelayNode> startHeadless(Vertx vertx, RelayConfig config, RelayNodeOptions options) {
        return start(vertx, config, options, false);
    }

    private static Future<RelayNode> start(Vertx vertx, RelayConfig config, RelayNodeOptions options, boolean serve) {
        PrometheusMeterRegistry registry = options.registry() != null ? options.registry()
                : PrometheusMetrics.newRegistry();
        VerificationPlan plan = VerificationPlan.choose(config.verification().mode(), vertx.isClustered());
        RelayNode node = new RelayNode(vertx, registry, plan);
        return node.startParts(config, options, serve)
                .map(node)
                .recover(failure -> node.close().transform(closed -> Future.failedFuture(failure)));
    }

    private Future<Void> startParts(RelayConfig config, RelayNodeOptions options, boolean serve) {
        StoreOptions storeOptions = StoreOptions.from(config);
        Future<SqliteEventStore> opening = options.bulkLoad() ? SqliteEventStore.openForBulkLoad(vertx, storeOptions)
                : SqliteEventStore.open(vertx, storeOptions);
        return opening.compose(opened -> {
            store = opened;
            opened.observeWrites(storeMetrics);
            return plan.embeddedWorker() ? deployWorker(config, options) : Future.succeededFuture();
        }).compose(workerReady -> {
            verification = verificationClient(config);
            logVerificationPath(config);
            SubscriptionRegistry subscriptions = new SubscriptionRegistry(fanOutThread);
            EventFanOut fanOut = subscriptions;
            Future<Void> replicating = Future.succeededFuture();
            LongSupplier clock = () -> System.currentTimeMillis() / 1000;
            if (vertx.isClustered()) {
                fanOut = new ClusterEventPublisher(subscriptions, vertx.eventBus(), nodeId, replicationMetrics);
                replicator = new EventReplicator(vertx.eventBus(), nodeId, store, subscriptions, replicationMetrics);
                // live replication first, so nothing published during the catch-up is missed; clients after both
                catchUp = new ClusterCatchUp(vertx, nodeId, StoreOptions.from(config).file(), replicator, clock,
                        options.catchUpRequestTimeoutMs());
                replicating = replicator.start().compose(consuming -> catchUp.start());
            }
            ingester = new EventIngester(store, verification, fanOut, config.limits(), config.writePolicy(), clock);
            collector = new ExpiredEventCollector(vertx, store, config.gcIntervalSeconds());
            connectionMetrics = new ConnectionMetrics(registry, subscriptions::size);
            negentropy = new NegentropyService(vertx, store::negentropyItems, NegentropyService.NegentropyLimits.forMaxMessageBytes(
                    config.limits().maxMessageBytes(), config.abuse().negentropyBudgetMillis()), clock);
            ConnectionServices services = new ConnectionServices(ingester, store, subscriptions, config.limits(), clock,
                    connectionMetrics, negentropy);
            InfoRequestHandler info = new InfoRequestHandler(RelayInformationDocument.build(config, RelayVersion.get()));
            if (!serve) {
                return replicating;
            }
            guards = new ConnectionGuards(config.abuse(), config.auth(), config.readPoolSize());
            guardMeters = GuardMetrics.register(registry, guards);
            addressSweep = vertx.setPeriodic(FORGET_ADDRESSES_MS, id -> guards.addresses().forgetIdle());
            return replicating.compose(ready -> deploy(config, services, guards, httpHandler(info, health(config))))
                    .compose(deployed -> answerStats())
                    .onSuccess(answering -> collector.start());
        });
    }

    private Future<Void> deployWorker(RelayConfig config, RelayNodeOptions options) {
        if (options.embeddedWorker() == null) {
            return Future.failedFuture(new IllegalStateException("verification needs a worker in this JVM ("
                    + plan.reason() + ") but this process supplies none; use --verification local or cluster"));
        }
        return vertx.deployVerticle(options.embeddedWorker().create(config, registry)).map(id -> {
            workerDeployment = id;
            return null;
        });
    }

    private VerificationClient verificationClient(RelayConfig config) {
        VerificationSettings settings = config.verification();
        int queued = VERIFY_QUEUED_BATCHES * config.verifyBatchSize();
        if (!plan.eventBus()) {
            return new MeteredVerificationClient(cpuVerifier(config), verificationMetrics, VerificationMetrics.LOCAL_PATH);
        }
        LocalVerificationClient cpuFallback = settings.fallback() == VerificationSettings.Fallback.CPU
                ? cpuVerifier(config) : null;
        return new EventBusVerificationClient(vertx, settings, config.verifyBatchSize(), queued, cpuFallback,
                verificationMetrics);
    }

    private LocalVerificationClient cpuVerifier(RelayConfig config) {
        return new LocalVerificationClient(vertx, new CpuSchnorrVerifier(config.verifierThreads()),
                config.verifyBatchSize(), VERIFY_BATCHES_IN_FLIGHT, VERIFY_QUEUED_BATCHES * config.verifyBatchSize());
    }

    private void logVerificationPath(RelayConfig config) {
        String fallback = config.verification().fallback().configName();
        verificationMetrics.describePath(plan.metricName(), plan.eventBus() ? fallback : "none", plan.reason());
        String message = "signature verification: " + plan.reason() + "; " + verification.describe()
                + (plan.eventBus() ? ", request deadline " + config.verification().deadlineFloorMs() + " to "
                + config.verification().timeoutMs() + " ms (adaptive)" : "");
        if (plan.workerless()) {
            LOG.log(Level.WARNING, message);
        } else {
            LOG.log(Level.INFO, message);
        }
    }

    /** Answers stats requests ({@code inspect}, {@code /status}) from this node's meters. */
    private Future<Void> answerStats() {
        statsResponder = StatsResponder.forRelay(vertx, new RelayStatsSource(registry, Map.of(
                "verification.path", plan.metricName(),
                "verification.reason", plan.reason(),
                "verification.backend", verification.describe(),
                "port", Integer.toString(port))));
        return statsResponder.start();
    }

    /**
     * NIP-11 and the text page, except {@code /metrics} (the process's Prometheus text), the health paths and
     * {@code /status} (the live cluster page).
     */
    private Handler<HttpServerRequest> httpHandler(InfoRequestHandler info, HealthRequestHandler health) {
        Handler<HttpServerRequest> metrics = PrometheusMetrics.scrapeHandler(registry);
        return request -> {
            String path = request.path();
            ("/metrics".equals(path) ? metrics
                    : HealthRequestHandler.handles(path) ? health
                    : StatusPage.serves(path) ? statusPage : info).handle(request);
        };
    }

    /**
     * Ready while the store is open (not once closing began) and takes writes, and some verification path can
     * answer.
     */
    private HealthRequestHandler health(RelayConfig config) {
        Map<String, ReadinessCheck> checks = new LinkedHashMap<>();
        checks.put("store", () -> store == null || closing
                ? Future.succeededFuture(ReadinessCheck.Outcome.notReady("closed"))
                : store.writeProblem().map(problem -> problem
                        .map(cause -> ReadinessCheck.Outcome.notReady("writes failing: " + cause))
                        .orElse(ReadinessCheck.Outcome.ready("open"))));
        checks.put("verification", new VerificationReadiness(plan, config.verification().fallback(),
                () -> workerDeployment != null,
                () -> ClusteredVertx.hasConsumers(vertx, VerifyProtocol.VERIFY_ADDRESS)));
        return new HealthRequestHandler(checks);
    }

    private Future<Void> deploy(RelayConfig config, ConnectionServices services, ConnectionGuards guards,
                                Handler<HttpServerRequest> http) {
        int listenPort;
        try {
            listenPort = config.port() == 0 ? freePort(config.host()) : config.port();
        } catch (IOException e) {
            return Future.failedFuture(new StartupException(
                    "client address " + config.host() + ": " + StartupException.clause(e), e));
        }
        return vertx.deployVerticle(() -> new RelayVerticle(config.host(), listenPort, services, guards, http),
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

    /** The last cluster catch-up of this node (at start, or after a member joined); null when none ran. */
    public CatchUp.Result lastCatchUp() {
        return catchUp == null ? null : catchUp.lastResult();
    }

    /** The ingest stage (limits, id, duplicates, signature, store), shared by every connection of this node. */
    /**
     * Builds the indexes a bulk load deferred ({@link RelayNodeOptions#bulkLoad}), after the writes submitted so far;
     * completes with whether it built any. Closing builds them too.
     */
    public Future<Boolean> completeIndexes() {
        return store.completeIndexes();
    }

    public EventIngester ingester() {
        return ingester;
    }

    /** The verification backend in use, e.g. "cpu(2 threads)" or the event-bus client with its fallback. */
    public String verificationBackend() {
        return verification == null ? "none" : verification.describe();
    }

    /** Which verification path is active and why, e.g. "mode auto, clustered: the cluster's verification workers". */
    public String verificationPath() {
        return plan.reason();
    }

    /** Whether a verification worker runs in this node's JVM. */
    public boolean hasEmbeddedWorker() {
        return workerDeployment != null;
    }

    /** This node's id in the cluster's replication messages. */
    public String nodeId() {
        return nodeId;
    }

    /** The registry served at {@code /metrics}. */
    public PrometheusMeterRegistry metricsRegistry() {
        return registry;
    }

    VerificationMetrics verificationMetrics() {
        return verificationMetrics;
    }

    /** The abuse limits' shared state and counters (null before start). */
    ConnectionGuards connectionGuards() {
        return guards;
    }

    ReplicationMetrics replicationMetrics() {
        return replicationMetrics;
    }

    /**
     * Stops accepting connections and closes open ones, waits (bounded) for events already being processed to
     * get their answer, then stops replication, verification and the embedded worker, and closes the store,
     * which commits pending writes.
     */
    public Future<Void> close() {
        closing = true;
        if (collector != null) {
            collector.stop();
        }
        if (addressSweep >= 0) {
            vertx.cancelTimer(addressSweep);
        }
        statusPage.close();
        if (statsResponder != null) {
            statsResponder.close();
        }
        List<Future<?>> undeployed = new ArrayList<>();
        for (String id : deployments) {
            undeployed.add(vertx.undeploy(id));
        }
        deployments.clear();
        return Future.join(undeployed)
                .transform(ignored -> drainIngest())
                .transform(ignored -> catchUp == null ? Future.succeededFuture() : catchUp.stop())
                .transform(ignored -> replicator == null ? Future.succeededFuture() : replicator.stop())
                .transform(ignored -> negentropy == null ? Future.succeededFuture() : negentropy.close())
                .transform(ignored -> verification == null ? Future.succeededFuture() : verification.close())
                .transform(ignored -> undeployWorker())
                .transform(ignored -> store == null ? Future.succeededFuture() : store.close())
                .onComplete(ignored -> {
                    fanOutThread.shutdown();
                    verificationMetrics.close();
                    storeMetrics.close();
                    if (guardMeters != null) {
                        guardMeters.close();
                    }
                    if (connectionMetrics != null) {
                        connectionMetrics.close();
                    }
                    if (replicationMetrics != null) {
                        replicationMetrics.close();
                    }
                })
                .onSuccess(ignored -> LOG.log(Level.INFO, "relay stopped"));
    }

    private Future<Void> undeployWorker() {
        if (workerDeployment == null) {
            return Future.succeededFuture();
        }
        String id = workerDeployment;
        workerDeployment = null;
        return vertx.undeploy(id);
    }

    private Future<Void> drainIngest() {
        Promise<Void> drained = Promise.promise();
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        checkDrained(drained, deadline);
        return drained.future();
    }

    private void checkDrained(Promise<Void> drained, long deadline) {
        if (ingester == null || ingester.inFlight() == 0) {
            drained.complete();
        } else if (System.currentTimeMillis() > deadline) {
            LOG.log(Level.WARNING, ingester.inFlight() + " events still in flight at shutdown");
            drained.complete();
        } else {
            vertx.setTimer(10, ignored -> checkDrained(drained, deadline));
        }
    }
}
