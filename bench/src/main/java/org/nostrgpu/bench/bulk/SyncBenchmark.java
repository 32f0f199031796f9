package org.nostrgpu.bench.bulk;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.relay.RelayNode;
import org.nostrgpu.relay.RelayNodeOptions;
import org.nostrgpu.relay.store.StoreOptions;
import org.nostrgpu.relay.sync.RemoteRelay;
import org.nostrgpu.relay.sync.StoredItems;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Negentropy reconciliation of two relay databases of N events that differ by a share of their events, over a
 * real WebSocket: a relay serves database A, and this process reconciles database B with it as {@code sync} does.
 * Prints per share: the difference found (checked against what was built), round trips, bytes each way, wall time
 * and the CPU time of this process (both sides run in it). Half of the difference is only in A, half only in B.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.bulk.SyncBenchmark DIR EVENTS SHARE[,SHARE...]
 *   e.g. SyncBenchmark bench-results/sync 1000000 0.001,0.01,0.1</pre>
 */
public final class SyncBenchmark {
    private static final long SEED_SHARED = 1;
    private static final long SEED_ONLY_A = 2;
    private static final long SEED_ONLY_B = 3;

    /** One measured reconciliation. */
    public record Figures(int events, double share, int expectedNeed, int expectedHave, int need, int have, int rounds,
                          long bytesSent, long bytesReceived, long loadMillis, long reconcileMillis, long cpuMillis) {
        String describe() {
            return String.format(Locale.ROOT, "%,d vs %,d events differing by %.1f %% (%,d only on the relay, %,d only"
                            + " here): found %,d + %,d in %d round trips, %,d bytes sent, %,d received; loading the "
                            + "local items %d ms, reconciling %d ms, process CPU %d ms",
                    events, events, share * 100, expectedNeed, expectedHave, need, have, rounds, bytesSent,
                    bytesReceived, loadMillis, reconcileMillis, cpuMillis);
        }
    }

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SyncBenchmark DIR EVENTS SHARE[,SHARE...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        for (String share : args[2].split(",")) {
            System.out.println(run(dir, events, Double.parseDouble(share)).describe());
        }
    }

    /** Builds both databases under {@code dir} (replacing earlier ones) and reconciles them. */
    public static Figures run(Path dir, int events, double share) throws Exception {
        int differing = (int) Math.round(events * share);
        int onlyA = differing / 2;
        int onlyB = differing - onlyA;
        int shared = events - onlyA;
        Path dirA = fresh(dir.resolve("a"));
        Path dirB = fresh(dir.resolve("b"));
        SyntheticDatabase.create(dirA, n -> n < shared ? new long[] {SEED_SHARED, n}
                : n < events ? new long[] {SEED_ONLY_A, n} : null);
        int sharedWithB = events - onlyB;
        SyntheticDatabase.create(dirB, n -> n < Math.min(shared, sharedWithB) ? new long[] {SEED_SHARED, n}
                : n < events ? new long[] {SEED_ONLY_B, n} : null);
        int expectedNeed = events - Math.min(shared, sharedWithB);
        int expectedHave = expectedNeed;

        Vertx vertx = Vertx.vertx();
        RelayConfig config = RelayConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dirA.toString())
                .withLimits(Limits.defaults())
                .withVerification(VerificationSettings.defaults().withMode(VerificationSettings.Mode.LOCAL));
        RelayNode relay = RelayNode.start(vertx, config, RelayNodeOptions.defaults()).await(300, TimeUnit.SECONDS);
        try {
            long cpuBefore = cpuNanos();
            long started = System.nanoTime();
            ItemSet mine = StoredItems.load(dirB.resolve(StoreOptions.FILE_NAME), Filter.all(),
                    System.currentTimeMillis() / 1000, Integer.MAX_VALUE);
            long loaded = System.nanoTime();
            RemoteRelay.Reconciliation result;
            try (RemoteRelay remote = RemoteRelay.connect(vertx, URI.create("ws://127.0.0.1:" + relay.port() + "/"),
                    Duration.ofMinutes(5))) {
                result = remote.reconcile(new JsonObject(), mine, 60_000);
            }
            long done = System.nanoTime();
            return new Figures(events, share, expectedNeed, expectedHave, result.need().size(), result.have().size(),
                    result.rounds(), result.bytesSent(), result.bytesReceived(), (loaded - started) / 1_000_000,
                    (done - loaded) / 1_000_000, (cpuNanos() - cpuBefore) / 1_000_000);
        } finally {
            relay.close().await(120, TimeUnit.SECONDS);
            vertx.close().await(60, TimeUnit.SECONDS);
        }
    }

    private static Path fresh(Path dir) throws Exception {
        if (Files.exists(dir)) {
            List<Path> all = new ArrayList<>();
            try (var walk = Files.walk(dir)) {
                walk.forEach(all::add);
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.delete(all.get(i));
            }
        }
        return Files.createDirectories(dir);
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
