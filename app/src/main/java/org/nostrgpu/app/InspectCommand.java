package org.nostrgpu.app;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.bus.StatsProtocol;
import org.nostrgpu.common.bus.StatsRequest;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.ConfigException;
import org.nostrgpu.common.inspect.ClusterSnapshot;
import org.nostrgpu.common.inspect.ClusterStatsCollector;
import org.nostrgpu.common.inspect.ClusterView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code inspect}: joins the cluster without taking work and shows what its members do, live or once. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Join the cluster as a member that takes no work (no verification consumer, no relay; it consumes "
                        + "only its own reply address) and show every relay and worker, refreshed each --interval: "
                        + "roles, verification backend and why, per-node rates (events in, verifications requested, "
                        + "verdicts, fallbacks, replication), the workers' queue, batch sizes and batches in flight. "
                        + "Members answer on the event-bus address " + StatsProtocol.STATS_ADDRESS
                        + " (stats protocol version " + StatsProtocol.FORMAT_VERSION + ").",
                "Give the cluster options as for relay and worker, with a --cluster-port of its own. "
                        + "Ctrl-C leaves the cluster."})
final class InspectCommand implements Callable<Integer> {
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-f]{64}");
    private static final long START_TIMEOUT_S = 120;
    private static final int ONCE_MAX_ROUNDS = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Print one snapshot and exit: stats rounds --interval apart until two "
            + "in a row hear the same members and no cluster node is silent (at most 10), so rates are present.")
    boolean once;

    @Option(names = "--json", description = "Print JSON (fields below): one object with --once, else one line per "
            + "round.")
    boolean json;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
            description = "Time between stats rounds (default ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--wait", paramLabel = "MS", defaultValue = "500",
            description = "How long a round waits for replies (default ${DEFAULT-VALUE}); less than --interval.")
    long waitMs;

    @Option(names = "--tail-events", description = "Show accepted events as the relays publish them to the "
            + "cluster (implied by --kind and --author).")
    boolean tailEvents;

    @Option(names = "--kind", paramLabel = "KIND", split = ",",
            description = "Tail only events of these kinds (repeatable or comma-separated).")
    List<Integer> kinds;

    @Option(names = "--author", paramLabel = "PUBKEY", split = ",",
            description = "Tail only events of these authors (64 hex characters; repeatable or comma-separated).")
    List<String> authors;

    @Option(names = "--tail-verify", description = "Show verification requests with their sizes and round-trip "
            + "times, as the relays measure them.")
    boolean tailVerify;

    @Mixin
    ClusterMixin cluster;

    /** The process environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        ClusterOptions options;
        StatsRequest.Tail tail;
        try {
            options = cluster.resolve(environment);
            if (!options.enabled()) {
                throw new ConfigException("inspect joins a cluster: give --cluster-members (and a --cluster-port of "
                        + "its own), or the CLUSTER_* variables");
            }
            tail = tail();
            if (intervalMs < 100 || waitMs < 10 || waitMs >= intervalMs) {
                throw new ConfigException("--wait must be at least 10 ms and less than --interval, which must be at "
                        + "least 100 ms; got --wait " + waitMs + " --interval " + intervalMs);
            }
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
        Vertx vertx = ClusteredVertx.start(options, new VertxOptions().setEventLoopPoolSize(1))
                .await(START_TIMEOUT_S, TimeUnit.SECONDS);
        try {
            ClusterStatsCollector collector = ClusterStatsCollector.start(vertx).await(30, TimeUnit.SECONDS);
            return once ? printOnce(collector, tail) : printUntilStopped(collector, tail);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Rounds until two in a row heard the same members and every cluster node answered (a member learns of this
     * inspector's reply address a moment after it joins), at most {@link #ONCE_MAX_ROUNDS}; prints the last two.
     */
    private int printOnce(ClusterStatsCollector collector, StatsRequest.Tail tail) throws Exception {
        ClusterSnapshot previous = null;
        ClusterSnapshot current = null;
        for (int round = 0; round < ONCE_MAX_ROUNDS; round++) {
            if (current != null) {
                Thread.sleep(Math.max(0, intervalMs - waitMs));
            }
            previous = current;
            current = collector.collect(tail, waitMs).await(30, TimeUnit.SECONDS);
            if (previous != null && answered(previous).equals(answered(current))
                    && ClusterView.of(previous, current).getJsonArray("silentNodes").isEmpty()) {
                break;
            }
        }
        JsonObject view = ClusterView.of(previous, current);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? view.encodePrettily() + "\n" : InspectScreen.render(view));
        out.flush();
        if (current.stats().isEmpty()) {
            spec.commandLine().getErr().println("no member answered within " + waitMs + " ms");
            return 1;
        }
        return 0;
    }

    private static Set<String> answered(ClusterSnapshot snapshot) {
        return snapshot.stats().stream().map(stats -> stats.member() + "/" + stats.role()).collect(Collectors.toSet());
    }

    private int printUntilStopped(ClusterStatsCollector collector, StatsRequest.Tail tail) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(stopped::countDown, "inspect-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean terminal = System.console() != null && !json;
        PrintWriter out = spec.commandLine().getOut();
        ClusterSnapshot previous = null;
        InspectScreen.Tails tails = new InspectScreen.Tails();
        while (stopped.getCount() > 0) {
            long started = System.nanoTime();
            ClusterSnapshot now = collector.collect(tail, waitMs).await(30, TimeUnit.SECONDS);
            JsonObject view = ClusterView.of(previous, now);
            previous = now;
            if (json) {
                out.println(view.encode());
            } else {
                tails.add(view);
                out.print((terminal ? "\033[H\033[2J" : "\n") + InspectScreen.render(view) + tails.render());
            }
            out.flush();
            long left = TimeUnit.MILLISECONDS.toNanos(intervalMs) - (System.nanoTime() - started);
            stopped.await(Math.max(0, left), TimeUnit.NANOSECONDS);
        }
        return 0;
    }

    private StatsRequest.Tail tail() {
        Set<Integer> kindSet = kinds == null ? Set.of() : Set.copyOf(kinds);
        Set<String> authorSet = authors == null ? Set.of() : Set.copyOf(authors);
        for (int kind : kindSet) {
            if (kind < 0 || kind > 65_535) {
                throw new ConfigException("--kind must be from 0 to 65535, got " + kind);
            }
        }
        for (String author : authorSet) {
            if (!HEX_KEY.matcher(author).matches()) {
                throw new ConfigException("--author must be 64 lowercase hex characters, got \"" + author + "\"");
            }
        }
        if (kindSet.size() > StatsProtocol.MAX_TAIL_FILTER_VALUES || authorSet.size() > StatsProtocol.MAX_TAIL_FILTER_VALUES) {
            throw new ConfigException("at most " + StatsProtocol.MAX_TAIL_FILTER_VALUES + " kinds and authors");
        }
        boolean events = tailEvents || !kindSet.isEmpty() || !authorSet.isEmpty();
        return events || tailVerify ? new StatsRequest.Tail(events, kindSet, authorSet, tailVerify) : null;
    }
}
