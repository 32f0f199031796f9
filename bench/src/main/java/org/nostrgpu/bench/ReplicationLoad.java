package org.nostrgpu.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.relay.cluster.ClusterEventPublisher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How fast a relay node absorbs the events its cluster peers accepted: this tool joins the relay's Vert.x cluster as
 * a peer and publishes corpus events on the accepted-events address, as a relay node that accepted them would; the
 * relay stores each (without verifying it again) and fans it out. Progress is read from the relay's
 * {@code /metrics} ({@code nostr_relay_replication_received_total}); at most {@code --window} events are left
 * unabsorbed. Reports absorbed events/s and, with {@code --relay-pid}, the relay's CPU time per absorbed event.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.ReplicationLoad http://127.0.0.1:6969/ \
 *      --cluster-port 5802 --cluster-members 127.0.0.1:5801,127.0.0.1:5802 --events 100000 --warmup 20000 \
 *      --corpus bench-results/corpus-120000.jsonl --relay-pid PID</pre>
 */
public final class ReplicationLoad {
    private static final String RECEIVED_METRIC = "nostr_relay_replication_received_total";
    /**
     * How often progress is read from {@code /metrics}. Each read is a whole Prometheus scrape (74 KB) that the relay
     * pays for on its event loop, 3 to 6 ms of CPU (500 scrapes, 2026-12-05): read every 20 ms it was 5 % of the
     * relay's CPU in a profile of this benchmark, charged to replication. Every 250 ms with the default 6 000-event
     * window keeps the relay fed up to 24 000 events/s (it absorbs about 12 000/s on one core). The window was
     * 30 000: events received and waiting for the writer are live objects, and the serial collector of a one-core
     * JVM copied them at every young collection (GC 9.8 against 5.6 us per absorbed event, 2026-12-06).
     */
    private static final long POLL_INTERVAL_MS = 250;

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("usage: ReplicationLoad http://relay-host:port/ --cluster-port P "
                    + "--cluster-members HOST:PORT,... [--cluster-host H] [--events N] [--warmup N] [--window N] "
                    + "[--corpus FILE] [--authors N] [--relay-pid PID]");
        }
        Map<String, String> flags = Flags.parse(args, 1);
        int events = Flags.intOf(flags, "events", 100_000);
        int warmup = Flags.intOf(flags, "warmup", 20_000);
        int window = Flags.intOf(flags, "window", 6_000);
        long relayPid = Flags.intOf(flags, "relay-pid", 0);
        Path corpusFile = flags.containsKey("corpus") ? Path.of(flags.get("corpus")) : null;
        List<String> corpus = Corpus.loadOrGenerate(corpusFile, warmup + events, Flags.intOf(flags, "authors", 100));
        ClusterOptions cluster = new ClusterOptions(true, flags.getOrDefault("cluster-host", "127.0.0.1"),
                Flags.intOf(flags, "cluster-port", ClusterOptions.DEFAULT_PORT),
                Arrays.asList(flags.getOrDefault("cluster-members", "").split(",")), null);
        Vertx vertx = ClusteredVertx.start(cluster, new VertxOptions()).await();
        HttpClient http = vertx.createHttpClient();
        try {
            Progress progress = new Progress(http, args[0]);
            Peer peer = new Peer(vertx, progress, window);
            long absorbedAtStart = progress.absorbed();
            peer.publish(corpus.subList(0, warmup), absorbedAtStart);
            System.out.printf("warm-up: %d events absorbed (not counted)%n", warmup);
            long relayBefore = relayPid > 0 ? CpuClock.processNanos(relayPid) : 0;
            Map<String, Long> relayThreadsBefore = ThreadCpu.snapshot(relayPid);
            long start = System.nanoTime();
            peer.publish(corpus.subList(warmup, corpus.size()), absorbedAtStart + warmup);
            double seconds = (System.nanoTime() - start) / 1e9;
            String cpu = relayPid > 0 ? String.format("; relay CPU %.1f us per absorbed event (%.0f events per CPU-second)",
                    (CpuClock.processNanos(relayPid) - relayBefore) / 1e3 / events,
                    events / ((CpuClock.processNanos(relayPid) - relayBefore) / 1e9)) : "";
            System.out.printf("replication: %d events absorbed in %.2f s = %.0f events/s%s; load average %s%n",
                    events, seconds, events / seconds, cpu, QueryLoad.LoadAverage.read());
            String byThread = ThreadCpu.perUnit(relayThreadsBefore, ThreadCpu.snapshot(relayPid), events,
                    "absorbed event");
            if (!byThread.isEmpty()) {
                System.out.println(byThread);
            }
        } finally {
            http.close().await();
            vertx.close().await();
        }
    }

    /** Publishes like a relay node that accepted the events, keeping at most {@code window} unabsorbed. */
    private record Peer(Vertx vertx, Progress progress, int window) {
        void publish(List<String> events, long absorbedBefore) throws InterruptedException {
            DeliveryOptions origin = new DeliveryOptions()
                    .addHeader(ClusterEventPublisher.ORIGIN_HEADER, "bench-" + UUID.randomUUID());
            long target = absorbedBefore + events.size();
            int sent = 0;
            long absorbed = progress.absorbed();
            while (absorbed < target) {
                long room = window - (absorbedBefore + sent - absorbed);
                for (long i = 0; i < room && sent < events.size(); i++) {
                    vertx.eventBus().publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, events.get(sent++), origin);
                }
                Thread.sleep(POLL_INTERVAL_MS);
                absorbed = progress.absorbed();
            }
        }
    }

    /** Events the relay has received from peers so far, whatever became of them (stored, known, ...). */
    private record Progress(HttpClient http, String relayUrl) {
        long absorbed() {
            String metrics = http.request(HttpMethod.GET, java.net.URI.create(relayUrl).getPort(),
                            java.net.URI.create(relayUrl).getHost(), "/metrics")
                    .compose(request -> request.send().compose(response -> response.body()))
                    .await().toString();
            long total = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith(RECEIVED_METRIC)) {
                    total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        }
    }
}
