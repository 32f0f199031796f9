package org.nostrgpu.bench.suite;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.IngestLoad;
import org.nostrgpu.bench.QueryLoad;

import java.util.List;
import java.util.Map;

/**
 * The scenarios against one relay (the suite's own or any NIP-01 relay by URL), each publishing fresh events of
 * the corpus: a warm-up; 25 and 50 concurrent publishing connections (closed loop); fixed offered rates (open
 * loop, latency from the scheduled instants); REQ latency per filter shape on what was published.
 */
final class LoadScenarios {
    /** Unacknowledged events per connection in the closed-loop runs. */
    static final int WINDOW = 16;
    static final long DRAIN_SECONDS = 30;

    private final Vertx vertx;
    private final SuiteOptions options;
    private final String url;
    private final Map<String, Long> pids;
    private final List<String> corpus;
    private int next;

    LoadScenarios(Vertx vertx, SuiteOptions options, String url, Map<String, Long> pids, List<String> corpus) {
        this.vertx = vertx;
        this.options = options;
        this.url = url;
        this.pids = pids;
        this.corpus = corpus;
    }

    JsonObject warmUp() throws InterruptedException {
        IngestLoad.Result warm = IngestLoad.run(vertx, List.of(url), 8, WINDOW, 300, take(options.warmupEvents()));
        System.out.println("warm-up: " + warm.describe().replace('\n', ' '));
        return summary(warm, null);
    }

    JsonArray connections() throws InterruptedException {
        JsonArray runs = new JsonArray();
        for (int connections : options.connections()) {
            CpuMeter cpu = CpuMeter.start(pids);
            IngestLoad.Result result = IngestLoad.run(vertx, List.of(url), connections, WINDOW, 600,
                    take(options.connectionEvents()));
            System.out.println("connections: " + result.describe().replace('\n', ' '));
            runs.add(summary(result, cpu).put("connections", connections));
        }
        return runs;
    }

    JsonArray rates() throws InterruptedException {
        JsonArray runs = new JsonArray();
        for (int rate : options.rates()) {
            List<String> events = take((int) Math.ceil(rate * options.rateSeconds()));
            CpuMeter cpu = CpuMeter.start(pids);
            IngestLoad.Result result = IngestLoad.runAtRate(vertx, List.of(url), options.rateConnections(), rate,
                    options.rateSeconds(), DRAIN_SECONDS, events);
            System.out.println("rate: " + result.describe().replace('\n', ' '));
            runs.add(summary(result, cpu).put("offeredPerSecond", rate)
                    .put("sendToOkMs", Percentiles.millis(result.sendToOkMicros())));
        }
        return runs;
    }

    JsonArray req() {
        long relayPid = pids.values().stream().findFirst().orElse(0L);
        QueryLoad.Report report = QueryLoad.run(vertx, new QueryLoad.Options(url, "all,mix", options.reqQueries(),
                1, 1, 100, Math.min(2000, options.reqQueries() * 2), relayPid));
        report.lines().forEach(line -> System.out.println("req: " + line));
        JsonArray shapes = new JsonArray();
        for (QueryLoad.Result result : report.results()) {
            shapes.add(new JsonObject().put("shape", result.shape()).put("queries", result.queries())
                    .put("eventsPerQuery", result.eventsPerQuery())
                    .put("perSecond", Math.round(result.queriesPerSecond()))
                    .put("latencyMs", Percentiles.millis(result.micros()))
                    .put("relayCpuMicrosPerQuery", result.relayCpuMicrosPerQuery() < 0 ? null
                            : Math.round(result.relayCpuMicrosPerQuery() * 10) / 10.0));
        }
        return shapes;
    }

    /** The next {@code count} events of the corpus, none published before. */
    private List<String> take(int count) {
        if (next + count > corpus.size()) {
            throw new IllegalStateException("the corpus holds " + corpus.size() + " events; " + (next + count)
                    + " are needed");
        }
        List<String> events = corpus.subList(next, next + count);
        next += count;
        return events;
    }

    /** One ingest run's figures; CPU per accepted event of each process when a meter ran. */
    static JsonObject summary(IngestLoad.Result result, CpuMeter cpu) {
        JsonObject json = new JsonObject().put("events", result.events()).put("connections", result.connections())
                .put("seconds", Math.round(result.seconds() * 100) / 100.0).put("accepted", result.accepted())
                .put("acceptedPerSecond", Math.round(result.accepted() / result.seconds()))
                .put("refusedByReason", new JsonObject(new java.util.LinkedHashMap<String, Object>(result.refusedByReason())))
                .put("unanswered", result.unanswered()).put("latencyMs", Percentiles.millis(result.micros()));
        if (cpu != null) {
            json.put("cpuMicrosPerAcceptedEvent", cpu.microsPer(result.accepted()));
        }
        return json;
    }
}
