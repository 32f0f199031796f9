package org.nostrgpu.app;

import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.relay.info.RelayVersion;
import org.nostrgpu.relay.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code relay}: runs a relay node until SIGTERM or Ctrl-C. */
@Command(name = "relay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Run a relay node: NIP-01 over WebSocket on /, the NIP-11 document on GET / "
                        + "(Accept: application/nostr+json), Prometheus metrics on GET /metrics, events stored in "
                        + "SQLite. Signatures go to a verification worker over the event bus: without cluster options "
                        + "one runs in this JVM (the embedded default); with --cluster the cluster's workers answer "
                        + "(start them with the worker subcommand) and accepted events are replicated to every "
                        + "relay of the cluster.",
                "Settings come from, highest first: these options, the environment variables named below "
                        + "(HOST, PORT, CLUSTER_*), the configuration file, the built-in defaults."})
final class RelayCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(RelayCommand.class.getName());

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on (default 0.0.0.0: every interface). Overrides HOST and the file.")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "TCP port for WebSocket and NIP-11 (default 6969; 0 picks a free port). "
                    + "Overrides PORT and the file.")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory holding the database nostr.sqlite3 and its WAL (default ./data; created if absent).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file with every limit, the NIP-11 fields and the storage path "
                    + "(default: the file named by NOSTR_RELAY_CONFIG, else built-in defaults; "
                    + "see deploy/relay.example.yaml).")
    Path configFile;

    @Option(names = "--verification", paramLabel = "auto|embedded|cluster|local",
            description = "Where signatures are verified. auto (default): a worker in this JVM, or the cluster's "
                    + "workers when clustered; embedded: a worker in this JVM even when clustered (it then serves "
                    + "the other relays too); cluster: only the cluster's workers; local: this relay's CPU threads, "
                    + "no event bus. Overrides verification.mode of the file.")
    String verificationMode;

    @Option(names = "--verification-fallback", paramLabel = "cpu|reject",
            description = "For events no worker verified (none reachable, timeout, overloaded, device error, "
                    + "shutting down): cpu (default) verifies them on this relay's CPU; reject answers "
                    + "OK false \"error: ...\" so the client retries later. Overrides verification.fallback of the file.")
    String verificationFallback;

    @Mixin
    ClusterMixin cluster;

    @Mixin
    ClusterTlsMixin clusterTls;

    /** The process environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        return ServiceRunner.runUntilStopped("relay", spec, LOG, this::start, environment);
    }

    /** Resolves the configuration, starts the relay and logs what it runs with. */
    RunningRelay start() throws Exception {
        Path file = RelayConfigResolver.configFile(configFile, environment);
        RelayConfig config = RelayConfigResolver.withVerificationOptions(
                RelayConfigResolver.resolve(file, host, port, dataDir, environment),
                verificationMode, verificationFallback);
        ClusterOptions clusterOptions = cluster.resolve(environment);
        LOG.log(Level.INFO, "nostr-gpu-relay " + RelayVersion.get() + ", configuration: "
                + RelayConfigResolver.CONFIG_FILE.describe(file));
        LOG.log(Level.INFO, "event bus: " + ClusterDescription.of(clusterOptions));
        RunningRelay relay = RunningRelay.start(config, clusterOptions, clusterTls.resolve(environment));
        LOG.log(Level.INFO, "listening on ws://" + config.host() + ":" + relay.port() + "/ with " + config.eventLoops()
                + " event loop(s)");
        LOG.log(Level.INFO, "storage: " + StoreOptions.from(config).file().toAbsolutePath().normalize());
        LOG.log(Level.INFO, "verification: " + relay.node().verificationPath() + " (" + relay.node().verificationBackend() + ")");
        return relay;
    }
}
