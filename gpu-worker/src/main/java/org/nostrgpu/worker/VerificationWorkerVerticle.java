package org.nostrgpu.worker;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.nostrgpu.common.bus.MalformedVerifyMessageException;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequest;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.inspect.StatsResponder;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.hybrid.Crossover;
import org.nostrgpu.worker.hybrid.CrossoverProbe;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The verification worker: consumes {@link VerifyProtocol#VERIFY_ADDRESS} from any number of relays (local or
 * clustered event bus), merges their requests' records into one queue and runs them in batches on a
 * {@link org.nostrgpu.common.verify.SignatureVerifier}, then answers each request with exactly its own events'
 * verdicts.
 *
 * <p>Pipeline: consume → decode ({@link VerifyRequest}: a view of the records where the message arrived) → admit
 * whole or refuse ({@link RecordBatcher}) → batch by offsets into the requests (sent at once when a backend slot is
 * free, accumulated while all are busy, at most the configured batch size; on a GPU worker, batches below the
 * measured {@link Crossover} go to CPU threads) → backend on a bounded worker executor ({@link BackendBatches}),
 * which writes each verdict byte straight into its request's reply → reply ({@link PendingRequest}).
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
    /** Largest batch the crossover probe times, and the time it may take. */
    private static final int PROBE_LARGEST = 16_384;
    private static final long PROBE_BUDGET_MS = 5_000;

    private final WorkerConfig config;
    private final PrometheusMeterRegistry registry;
    private final Supplier<BackendSelection> backendOpener;
    private final Function<BackendSelection, Crossover> crossoverProbe;
    private final Set<PendingRequest> pending = ConcurrentHashMap.newKeySet();

    private BackendSelection backend;
    private WorkerExecutor executor;
    private WorkerMetrics metrics;
    private VerifyReplier replier;
    private BackendBatches batches;
    private RecordBatcher batcher;
    private MessageConsumer<Object> consumer;
    private HealthServer healthServer;
    private long recheckTimer = -1;
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
        this(config, registry, backendOpener, selection -> measureCrossover(config, selection));
    }

    /**
     * @param crossoverProbe finds the crossover of a hybrid selection, at start and at each recheck, on a worker
     *                       thread
     */
    public VerificationWorkerVerticle(WorkerConfig config, PrometheusMeterRegistry registry,
                                      Supplier<BackendSelection> backendOpener,
                                      Function<BackendSelection, Crossover> crossoverProbe) {
        this.config = config;
        this.registry = registry;
        this.backendOpener = backendOpener;
        this.crossoverProbe = crossoverProbe;
    }

    /**
     * The worker a relay node runs in its own JVM (the embedded default): backend {@code auto}, the relay's
     * {@code verifier-threads}, no health server of its own (the relay's {@code /metrics} shows its meters).
     */
    public static VerificationWorkerVerticle embeddedIn(RelayConfig relay, PrometheusMeterRegistry registry) {
        return new VerificationWorkerVerticle(
                WorkerConfig.defaults().withCpuThreads(relay.verifierThreads()).withHealthPort(0), registry);
    }

    /**
     * The backend {@code config} names, as {@link VerifierBackends#select} chooses it (blocking: CUDA start-up), with
     * CPU threads beside a GPU for the small batches when {@code cpu-below-crossover} is on.
     */
    public static BackendSelection openConfiguredBackend(WorkerConfig config) {
        CudaOptions cuda = CudaOptions.defaults().withDeviceOrdinal(config.cudaDevice())
                .withKeyCacheEntries(config.cudaKeyCacheEntries());
        if (!config.ptxFile().isEmpty()) {
            cuda = cuda.withPtxFile(Path.of(config.ptxFile()));
        }
        BackendSelection selection = VerifierBackends.select(BackendChoice.parse(config.backend()),
                config.cpuThreads(), cuda);
        if (selection.usesCuda() && config.cpuBelowCrossover()) {
            return selection.withSmallBatches(new CpuSchnorrVerifier(config.cpuThreads()));
        }
        return selection;
    }

    /** The probe a worker runs on its hybrid backend: both verifiers timed on this machine. */
    public static Crossover measureCrossover(WorkerConfig config, BackendSelection selection) {
        int largest = Math.min(PROBE_LARGEST, config.effectiveMaxBatchSize(selection.usesCuda()));
        return new CrossoverProbe(selection.smallBatches(), selection.verifier(), largest, PROBE_BUDGET_MS,
                System::nanoTime).measure();
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            BackendSelection selection = backendOpener.get();
            try {
                Crossover crossover = selection.hybrid() ? crossoverProbe.apply(selection)
                        : Crossover.gpuOnly(selection.usesCuda() ? "cpu-below-crossover is false" : "no GPU");
                return new Started(selection, crossover);
            } catch (RuntimeException e) {
                selection.close();
                throw e;
            }
        }).compose(started -> {
            backend = started.selection();
            startPipeline(started.crossover());
            consumer = vertx.eventBus().consumer(VerifyProtocol.VERIFY_ADDRESS, this::handle);
            stats = WorkerStatsSource.answer(vertx, this::status, registry);
            return consumer.completion();
        }).compose(registered -> startHealthServer()).recover(failed -> {
            // a verticle whose start fails is not stopped by Vert.x: release what was opened, then fail
            return stop().transform(ignored -> Future.failedFuture(failed));
        }).onSuccess(port -> {
            LOG.log(Level.INFO, "verification worker consuming {0} on {1} ({2}); batches of up to {3}, {4} in"
                            + " flight, queue of {5} events; {6}; health and metrics {7}",
                    VerifyProtocol.VERIFY_ADDRESS, backend.verifier().describe(), backend.reason(),
                    batcher.maxBatchSize(), config.maxInFlightBatches(), config.maxQueuedEvents(), routingSummary(),
                    healthPort == 0 ? "disabled" : "on http://" + config.healthHost() + ":" + healthPort + "/health");
            scheduleCrossoverRecheck();
        });
    }

    private record Started(BackendSelection selection, Crossover crossover) {
    }

    private void startPipeline(Crossover crossover) {
        int maxBatchSize = config.effectiveMaxBatchSize(backend.usesCuda());
        Lane large = new Lane(backend.usesCuda() ? "gpu" : "cpu", backend.verifier(), config.maxInFlightBatches());
        Lane small = backend.hybrid() ? new Lane("cpu", backend.smallBatches(), config.cpuThreads()) : null;
        executor = vertx.createSharedWorkerExecutor("nostr-worker-verify-" + deploymentID(),
                large.slots + (small == null ? 0 : small.slots));
        List<String> lanes = new ArrayList<>(List.of(large.name));
        if (small != null) {
            lanes.add(small.name);
        }
        metrics = new WorkerMetrics(registry, backend.verifier().describe(), backend.usesCuda(), backend.reason(),
                lanes, this::queueDepth, this::inFlightBatches);
        replier = new VerifyReplier(metrics);
        batches = new BackendBatches(executor, metrics);
        batcher = new RecordBatcher(maxBatchSize, config.maxQueuedEvents(), large, small, crossover, batches::run);
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        if (backend == null) {
            return Future.succeededFuture(); // start failed before a backend was opened
        }
        if (recheckTimer >= 0) {
            vertx.cancelTimer(recheckTimer);
        }
        if (stats != null) {
            stats.close();
        }
        Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
        if (batcher != null) {
            batcher.clear();
        }
        for (PendingRequest request : List.copyOf(pending)) {
            request.answerNow(VerifyStatus.SHUTTING_DOWN, "the verification worker is stopping");
        }
        return unregistered.recover(ignored -> Future.succeededFuture())
                .compose(v -> batches == null ? Future.succeededFuture() : drainBackend())
                .compose(v -> executor == null ? Future.succeededFuture() : executor.close())
                .compose(v -> vertx.executeBlocking(() -> {
                    backend.close();
                    return null;
                }))
                .compose(v -> healthServer == null ? Future.succeededFuture() : healthServer.close())
                .onComplete(done -> {
                    if (metrics != null) {
                        metrics.close();
                    }
                });
    }

    /** A snapshot for {@code GET /health}; safe from any thread. */
    public WorkerStatus status() {
        return new WorkerStatus(stopping ? WorkerStatus.STOPPING : WorkerStatus.UP,
                backend.verifier().describe(), backend.reason(), backend.usesCuda(),
                backend.usesCuda() ? backend.cudaDevice().summary() : null, backend.keyCache(),
                batcher.routingJson(), batcher.maxBatchSize(), config.maxInFlightBatches(), config.maxQueuedEvents(),
                batcher.queuedRecords(), batches.running(), pending.size(),
                batcher.batchesSent(), batcher.recordsSent(), batcher.recordsRefused());
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
            replier.reply(message, VerifyReply.malformedRequest().encode(), VerifyStatus.MALFORMED_REQUEST,
                    e.getMessage(), received);
            return;
        }
        if (stopping) {
            replier.reply(message, VerifyReply.notVerified(VerifyStatus.SHUTTING_DOWN, request.count()).encode(),
                    VerifyStatus.SHUTTING_DOWN, "the verification worker is stopping", received);
            return;
        }
        PendingRequest waiting = new PendingRequest(message, request.records(), received, replier, pending::remove);
        pending.add(waiting);
        if (!batcher.submit(waiting)) {
            waiting.answerNow(VerifyStatus.OVERLOADED, "verification worker is overloaded: "
                    + config.maxQueuedEvents() + " events already waiting");
        }
    }

    private String routingSummary() {
        Crossover crossover = batcher.crossover();
        String cache = backend.keyCache() == null ? "" : "; GPU key cache " + backend.keyCache();
        if (!batcher.hybrid()) {
            return "every batch on " + backend.verifier().describe() + cache;
        }
        return "batches below " + crossover.size() + " signatures on " + backend.smallBatches().describe() + " ("
                + crossover.note() + ")" + cache;
    }

    private void scheduleCrossoverRecheck() {
        if (!backend.hybrid() || config.crossoverRecheckSeconds() == 0) {
            return;
        }
        recheckTimer = vertx.setPeriodic(config.crossoverRecheckSeconds() * 1000L, id -> {
            if (stopping) {
                return;
            }
            vertx.executeBlocking(() -> crossoverProbe.apply(backend), false).onComplete(measured -> {
                if (measured.failed()) {
                    LOG.log(Level.WARNING, "measuring the crossover again failed, keeping "
                            + batcher.crossover().size() + ": " + measured.cause());
                    return;
                }
                int before = batcher.crossover().size();
                batcher.route(measured.result());
                if (measured.result().size() != before) {
                    LOG.log(Level.INFO, "crossover measured again: {0} (was {1}); {2}",
                            measured.result().size(), before, measured.result().note());
                }
            });
        });
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
        return batcher.queuedRecords();
    }

    private int inFlightBatches() {
        return batches.running();
    }
}
