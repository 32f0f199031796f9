package org.nostrgpu.app;

import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.relay.info.RelayVersion;
import org.nostrgpu.worker.WorkerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code worker}: runs a signature-verification worker until SIGTERM or Ctrl-C. */
@Command(name = "worker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Run a signature-verification worker: it consumes BIP-340 checks from every relay on the event bus "
                        + "(address " + VerifyProtocol.VERIFY_ADDRESS + "), batches them across relays on the GPU "
                        + "(CUDA) or the CPU, and answers each relay with per-event verdicts. GET /health (JSON) and "
                        + "GET /metrics (Prometheus) on the health port.",
                "Useful with --cluster: relays on other machines reach it through the Vert.x cluster. "
                        + "SIGTERM answers pending requests SHUTTING_DOWN (relays fall back) and leaves the cluster.",
                "Settings come from, highest first: these options, the environment variables named below, "
                        + "the configuration file, the built-in defaults."})
final class WorkerCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(WorkerCommand.class.getName());

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML worker configuration: backend, batch sizes, queue bound, health server, CUDA device "
                    + "(default: the file named by NOSTR_WORKER_CONFIG, else built-in defaults; "
                    + "see deploy/worker.example.yaml).")
    Path configFile;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda",
            description = "Signature verifier. auto (default): CUDA when a GPU is present, the kernel loads and "
                    + "passes its self-test, else the CPU; cpu: always the CPU; cuda: CUDA or refuse to start.")
    String backend;

    @Option(names = "--cpu-threads", paramLabel = "N",
            description = "Threads of the CPU backend (default: the number of CPU cores).")
    Integer cpuThreads;

    @Option(names = "--health-host", paramLabel = "ADDRESS",
            description = "Address of the /health and /metrics HTTP server (default 0.0.0.0: every interface).")
    String healthHost;

    @Option(names = "--health-port", paramLabel = "PORT",
            description = "Port of the /health and /metrics HTTP server (default 6970; 0 disables it).")
    Integer healthPort;

    @Mixin
    ClusterMixin cluster;

    @Mixin
    ClusterTlsMixin clusterTls;

    /** The process environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        return ServiceRunner.runUntilStopped("worker", spec, LOG, this::start, environment);
    }

    /** Resolves the configuration, starts the worker and logs what it runs with. */
    RunningWorker start() throws Exception {
        Path file = WorkerConfigResolver.configFile(configFile, environment);
        WorkerConfig config = WorkerConfigResolver.resolve(file, backend, cpuThreads, healthHost, healthPort);
        ClusterOptions clusterOptions = cluster.resolve(environment);
        LOG.log(Level.INFO, "nostr-gpu-relay " + RelayVersion.get() + " worker, configuration: "
                + WorkerConfigResolver.CONFIG_FILE.describe(file));
        LOG.log(Level.INFO, "event bus: " + ClusterDescription.of(clusterOptions));
        RunningWorker worker = RunningWorker.start(config, clusterOptions, clusterTls.resolve(environment));
        WorkerStatus status = worker.verticle().status();
        LOG.log(Level.INFO, "verification backend: " + status.backend() + ", chosen because: " + status.reason());
        LOG.log(Level.INFO, "health: " + (worker.verticle().healthPort() == 0 ? "disabled"
                : "http://" + config.healthHost() + ":" + worker.verticle().healthPort() + "/health"));
        return worker;
    }
}
