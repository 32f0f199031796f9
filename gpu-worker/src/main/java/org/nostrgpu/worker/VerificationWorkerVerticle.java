package org.nostrgpu.worker;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.nostrgpu.common.batch.AdaptiveBatcher;
import org.nostrgpu.common.batch.BatcherOverloadedException;
import org.nostrgpu.common.bus.MalformedVerifyMessageException;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequest;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.inspect.StatsResponder;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.worker.BackendChoice;
import org.nostrgpu.worker.BackendSelection;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.VerifierBackends;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The verification worker: consumes {@link VerifyProtocol#VERIFY_ADDRESS} from any number of relays (local or
 * clustered event bus), merges their requests' signatures into one queue and runs them in batches on a
 * {@link org.nostrgpu.common.verify.SignatureVerifier}, then answers each request with exactly its own events'
 * verdicts.
 *
 * <p>Pipeline: consume → decode ({@link VerifyRequest}) → admit whole or refuse ({@link AdaptiveBatcher#submitAll})
 * → batch (sent at once when a backend slot is free, accumulated while both are busy, at most the configured batch
 * size, two batches in flight so a GPU overlaps upload and compute) → backend on a bounded worker executor
 * ({@link BackendBatches}) → per-request reply ({@link PendingRequest}).
 *
 * <p>Every request gets one {@link VerifyReply}: {@code OK}; {@code OVERLOADED} at once when its events would
 * overfill the queue; {@code DEVICE_ERROR} when a batch holding any of its events failed; {@code SHUTTING_DOWN}
 * when the worker stops first; {@code MALFORMED_REQUEST} when it does not decode. Deploy one instance per process:
 * the queue and the backend are per instance.
 */
public final class VerificationWorkerVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(VerificationWorkerVerticle.class.getName());
    /** How long undeploying waits for running backend calls before closing the backend anyway. */
    private static final long DRAIN_TIMEOUT_MS = 30_000;

    private final WorkerConfig config;
    private final PrometheusMeterRegistry registry;
    private final Supplier<BackendSelection> backendOpener;
    private final Set<PendingRequest> pending = ConcurrentHashMap.newKeySet();

    private BackendSelection backend;
    private int maxBatchSize;
    private WorkerExecutor executor;
    private WorkerMetrics metrics;
    private VerifyReplier replier;
    private BackendBatches batches;
    private AdaptiveBatcher<SignatureCheck, Verdict> batcher;
    private MessageConsumer<Object> consumer;
    private HealthServer healthServer;
    private StatsResponder stats;
    private int healthPort;
    private volatile boolean stopping;

    /** A worker on the backend the configuration asks for (CUDA or CPU, chosen at start). */
    public VerificationWorkerVerticle(WorkerConfig config, PrometheusMeterRegistry registry) {
        this(config, registry, () -> openConfiguredBackend(config));
    }

    /**
     * @param backendOpener opens the backend at start, on a worker thread; the verticle closes it at stop
     */
    public VerificationWorkerVerticle(WorkerConfig config, PrometheusMeterRegistry registry,
                                      Supplier<BackendSelection> backendOpener) {
        this.config = config;
        this.registry = registry;
        this.backendOpener = backendOpener;
    }

    /**
     * The worker a relay node runs in its own JVM (the embedded default): backend {@code auto}, the relay's
     * {@code verifier-threads}, no health server of its own (the relay's {@code /metrics} shows its meters).
     */
    public static VerificationWorkerVerticle embeddedIn(RelayConfig relay, PrometheusMeterRegistry registry) {
        return new VerificationWorkerVerticle(
                WorkerConfig.defaults().withCpuThreads(relay.verifierThreads()).withHealthPort(0), registry);
    }

    /** The backend {@code config} names, as {@link VerifierBackends#select} chooses it (blocking: CUDA start-up). */
    public static BackendSelection openConfiguredBackend(WorkerConfig config) {
        CudaOptions cuda = CudaOptions.defaults().withDeviceOrdinal(config.cudaDevice());
        if (!config.ptxFile().isEmpty()) {
            cuda = cuda.withPtxFile(Path.of(config.ptxFile()));
        }
        return VerifierBackends.select(BackendChoice.parse(config.backend()), config.cpuThreads(), cuda);
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(backendOpener::get).compose(selection -> {
            backend = selection;
            maxBatchSize = config.effectiveMaxBatchSize(selection.usesCuda());
            executor = vertx.createSharedWorkerExecutor("nostr-worker-verify-" + deploymentID(),
                    config.maxInFlightBatches());
            metrics = new WorkerMetrics(registry, selection.verifier().describe(), selection.usesCuda(),
                    selection.reason(), this::queueDepth, this::inFlightBatches);
            replier = new VerifyReplier(metrics);
            batches = new BackendBatches(selection.verifier(), executor, metrics);
            batcher = new AdaptiveBatcher<>("verification worker", maxBatchSize, config.maxInFlightBatches(),
                    config.maxQueuedEvents(), batches::run);
            consumer = vertx.eventBus().consumer(VerifyProtocol.VERIFY_ADDRESS, this::handle);
            stats = WorkerStatsSource.answer(vertx, this::status, registry);
            return consumer.completion();
        }).compose(registered -> startHealthServer()).recover(failed -> {
            // a verticle whose start fails is not stopped by Vert.x: release what was opened, then fail
            return stop().transform(ignored -> Future.failedFuture(failed));
        }).onSuccess(port -> LOG.log(Level.INFO,
                "verification worker consuming {0} on {1} ({2}); batches of up to {3}, {4} in flight, "
                        + "queue of {5} events; health and metrics {6}",
                VerifyProtocol.VERIFY_ADDRESS, backend.verifier().describe(), backend.reason(), maxBatchSize,
                config.maxInFlightBatches(), config.maxQueuedEvents(),
                healthPort == 0 ? "disabled" : "on http://" + config.healthHost() + ":" + healthPort + "/health"));
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        if (backend == null) {
            return Future.succeededFuture(); // start failed before a backend was opened
        }
        if (stats != null) {
            stats.close();
        }
        Future<Void> unregistered = consumer.unregister();
        for (PendingRequest request : List.copyOf(pending)) {
            request.answerNow(VerifyStatus.SHUTTING_DOWN, "the verification worker is stopping");
        }
        return unregistered.recover(ignored -> Future.succeededFuture())
                .compose(v -> drainBackend())
                .compose(v -> executor.close())
                .compose(v -> vertx.executeBlocking(() -> {
                    backend.verifier().close();
                    return null;
                }))
                .compose(v -> healthServer == null ? Future.succeededFuture() : healthServer.close())
                .onComplete(done -> metrics.close());
    }

    /** A snapshot for {@code GET /health}; safe from any thread. */
    public WorkerStatus status() {
        return new WorkerStatus(stopping ? WorkerStatus.STOPPING : WorkerStatus.UP,
                backend.verifier().describe(), backend.reason(), backend.usesCuda(),
                backend.usesCuda() ? backend.cudaDevice().summary() : null,
                maxBatchSize, config.maxInFlightBatches(), config.maxQueuedEvents(),
                batcher.queuedItems(), batches.running(), pending.size(),
                batcher.batchesSent(), batcher.itemsSent(), batcher.itemsRejected());
    }

    /** The port of the health and metrics server, or 0 when it is disabled. */
    public int healthPort() {
        return healthPort;
    }

    private void handle(Message<Object> message) {
        long received = System.nanoTime();
        VerifyRequest request;
        try {
            request = VerifyRequest.decode(message.body());
        } catch (MalformedVerifyMessageException e) {
            replier.reply(message, VerifyReply.malformedRequest(), e.getMessage(), received);
            return;
        }
        if (stopping) {
            replier.reply(message, VerifyReply.notVerified(VerifyStatus.SHUTTING_DOWN, request.count()),
                    "the verification worker is stopping", received);
            return;
        }
        List<Future<Verdict>> verdicts = batcher.submitAll(request.checks());
        Future<Verdict> first = verdicts.get(0);
        if (first.failed() && first.cause() instanceof BatcherOverloadedException overloaded) {
            replier.reply(message, VerifyReply.notVerified(VerifyStatus.OVERLOADED, request.count()),
                    overloaded.getMessage(), received);
            return;
        }
        PendingRequest waiting = new PendingRequest(message, request.count(), received, replier, pending::remove);
        pending.add(waiting);
        for (int i = 0; i < verdicts.size(); i++) {
            int index = i;
            verdicts.get(i).onComplete(result -> waiting.settle(index, result));
        }
    }

    private Future<Integer> startHealthServer() {
        if (!config.healthServerEnabled()) {
            return Future.succeededFuture(0);
        }
        healthServer = new HealthServer(vertx, this::status, registry);
        return healthServer.listen(config.healthHost(), config.healthPort()).onSuccess(port -> healthPort = port);
    }

    private Future<Void> drainBackend() {
        Promise<Void> drained = Promise.promise();
        long timer = vertx.setTimer(DRAIN_TIMEOUT_MS, id -> {
            if (drained.tryComplete()) {
                LOG.log(Level.WARNING, "verification backend still busy after {0} ms; closing it anyway",
                        DRAIN_TIMEOUT_MS);
            }
        });
        batches.stop().onComplete(done -> {
            vertx.cancelTimer(timer);
            drained.tryComplete();
        });
        return drained.future();
    }

    private int queueDepth() {
        return batcher.queuedItems();
    }

    private int inFlightBatches() {
        return batches.running();
    }
}
