package org.nostrgpu.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * REQ load of several shapes ({@link QueryShape}: authors, kinds, #t, #e, #p, ids, since/until, multi-filter...)
 * against any NIP-01 relay: for each shape, {@code --queries} REQs over {@code --connections} connections with
 * {@code --in-flight} REQs outstanding on each, then EOSE/s, REQ→EOSE latency and, with {@code --relay-pid}, the
 * relay's CPU time per REQ (from /proc, so it does not depend on what else runs). The values queried come from the
 * relay itself ({@link QuerySample}). {@code --shapes mix} runs the shapes in turns as one load.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.QueryLoad ws://127.0.0.1:6969/ --queries 2000 \
 *      --connections 1 --in-flight 4 --warmup 5000 --relay-pid PID [--shapes authors,#t,mix]</pre>
 */
public final class QueryLoad {

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("usage: QueryLoad ws://host:port/ [--shapes all|mix|SHAPE,...] "
                    + "[--queries N per shape] [--connections C] [--in-flight F] [--limit N] [--warmup N] "
                    + "[--relay-pid PID]");
        }
        Map<String, String> flags = Flags.parse(args, 1);
        Options options = new Options(args[0], flags.getOrDefault("shapes", "all"),
                Flags.intOf(flags, "queries", 2000), Flags.intOf(flags, "connections", 1),
                Flags.intOf(flags, "in-flight", 1), Flags.intOf(flags, "limit", 100), Flags.intOf(flags, "warmup", 2000),
                Flags.intOf(flags, "relay-pid", 0));
        Vertx vertx = Vertx.vertx();
        try {
            run(vertx, options).lines().forEach(System.out::println);
        } finally {
            vertx.close().await();
        }
    }

    /** What the command line asks for. */
    public record Options(String url, String shapes, int queries, int connections, int inFlight, int limit,
                          int warmup, long relayPid) {
    }

    /** One shape's (or the mix's) figures. */
    public record Result(String shape, int queries, double eventsPerQuery, double queriesPerSecond, Histogram micros,
                         double relayCpuMicrosPerQuery, double ownCpuMicrosPerQuery) {
        String describe() {
            String relayCpu = relayCpuMicrosPerQuery < 0 ? "-" : String.format("%.3f", relayCpuMicrosPerQuery / 1000);
            return String.format("%-14s %6d %10.1f %9.0f %8.2f %8.2f %8.2f %12s %11.3f", shape, queries,
                    eventsPerQuery, queriesPerSecond, micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0, relayCpu,
                    ownCpuMicrosPerQuery / 1000);
        }
    }

    /** What a run found to query for, each shape's figures, and the report's lines. */
    public record Report(QuerySample sample, List<Result> results, List<String> lines) {
    }

    /** Discovers the sample, warms the relay up with the mix, then runs each asked shape. */
    public static Report run(Vertx vertx, Options options) {
        // Held until the end: Vert.x 5 shuts down a client, and closes its connections, once it is garbage collected.
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 22)
                .setMaxFrameSize(1 << 22));
        List<ReqClient> connections = new ArrayList<>();
        List<String> report = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        try {
            for (int i = 0; i < options.connections; i++) {
                connections.add(new ReqClient(RelaySocket.open(vertx, client, options.url)));
            }
            ReqClient first = connections.get(0);
            QuerySample sample = QuerySample.discover(filters -> first.req(filters, true).await().eventJson(),
                    options.limit);
            report.add(sample.describe());
            List<List<QueryShape>> runs = new ArrayList<>();
            for (String name : options.shapes.split(",")) {
                switch (name) {
                    case "all" -> List.of(QueryShape.values()).forEach(shape -> runs.add(List.of(shape)));
                    case "mix" -> runs.add(List.of(QueryShape.values()));
                    default -> runs.add(List.of(QueryShape.parse(name)));
                }
            }
            Random random = new Random(42);
            if (options.warmup > 0) {
                Result warm = measure(connections, List.of(QueryShape.values()), sample, random, options.warmup,
                        options, "warm-up");
                report.add(String.format("warm-up: %d REQs of the mix, %.0f EOSE/s (not counted)", warm.queries(),
                        warm.queriesPerSecond()));
            }
            report.add(String.format("%d connection(s) x %d in flight, limit %d; load average %s", options.connections,
                    options.inFlight, options.limit, LoadAverage.read()));
            report.add(String.format("%-14s %6s %10s %9s %8s %8s %8s %12s %11s", "shape", "REQs", "events/REQ",
                    "EOSE/s", "p50 ms", "p99 ms", "max ms", "relay CPU ms", "tool CPU ms"));
            for (List<QueryShape> shapes : runs) {
                String label = shapes.size() == 1 ? shapes.get(0).label() : "mix";
                Result result = measure(connections, shapes, sample, random, options.queries, options, label);
                results.add(result);
                report.add(result.describe());
            }
            report.add("(CPU per REQ from /proc; load average after: " + LoadAverage.read() + ")");
            return new Report(sample, results, report);
        } finally {
            for (ReqClient connection : connections) {
                connection.close().await();
            }
            client.close().await();
        }
    }

    /**
     * Runs {@code total} REQs, each connection keeping {@code inFlight} outstanding and sending the next one from
     * its frame handler as an EOSE arrives; shapes are taken in turns.
     */
    private static Result measure(List<ReqClient> connections, List<QueryShape> shapes, QuerySample sample,
                                  Random random, int total, Options options, String label) {
        List<String> requests = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            requests.add(shapes.get(i % shapes.size()).filters(sample, random, options.limit));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong events = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Future<Void>> done = new ArrayList<>();
        long relayBefore = options.relayPid > 0 ? CpuClock.processNanos(options.relayPid) : 0;
        long ownBefore = CpuClock.ownNanos();
        long start = System.nanoTime();
        for (ReqClient connection : connections) {
            Histogram micros = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            histograms.add(micros);
            for (int slot = 0; slot < options.inFlight; slot++) {
                Promise<Void> slotDone = Promise.promise();
                done.add(slotDone.future());
                connection.context().runOnContext(v ->
                        sendNext(connection, requests, next, events, micros, slotDone));
            }
        }
        Future.all(done).await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long ownCpu = CpuClock.ownNanos() - ownBefore;
        double relayCpu = options.relayPid > 0 ? (CpuClock.processNanos(options.relayPid) - relayBefore) / 1e3 / total : -1;
        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        histograms.forEach(all::add);
        return new Result(label, total, (double) events.get() / total, total / seconds, all, relayCpu,
                ownCpu / 1e3 / total);
    }

    private static void sendNext(ReqClient connection, List<String> requests, AtomicInteger next, AtomicLong events,
                                 Histogram micros, Promise<Void> slotDone) {
        int index = next.getAndIncrement();
        if (index >= requests.size()) {
            slotDone.tryComplete();
            return;
        }
        connection.req(requests.get(index), false).onComplete(answer -> {
            if (answer.failed()) {
                slotDone.tryFail(answer.cause());
                return;
            }
            micros.recordValue(Math.min(answer.result().micros(), micros.getHighestTrackableValue()));
            events.addAndGet(answer.result().events());
            sendNext(connection, requests, next, events, micros, slotDone);
        });
    }

    /** The machine's load average, to say whether other work shared the cores during a run. */
    public static final class LoadAverage {
        private LoadAverage() {
        }

        public static String read() {
            try {
                String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
                return fields[0] + " " + fields[1] + " " + fields[2];
            } catch (Exception e) {
                return "unknown";
            }
        }
    }
}
