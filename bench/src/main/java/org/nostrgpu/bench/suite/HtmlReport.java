package org.nostrgpu.bench.suite;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's results as one self-contained HTML page: tables of every figure and inline SVG charts
 * ({@link SvgChart}), no script, no stylesheet or font from elsewhere, so it opens offline from the result folder.
 */
final class HtmlReport {
    private static final String[] PERCENTILES = {"p50", "p90", "p99", "p999"};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9"};

    private HtmlReport() {
    }

    static String render(JsonObject result) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>nostr-gpu-relay benchmark suite</title><style>body{font-family:sans-serif;margin:2em;"
                + "max-width:1100px}table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;"
                + "padding:3px 8px;text-align:right;font-size:13px}th{background:#f4f4f4}td:first-child,"
                + "th:first-child{text-align:left}.fail{color:#b00}svg{display:block;margin:1em 0}</style></head>"
                + "<body><h1>nostr-gpu-relay benchmark suite</h1>");
        machine(html, result);
        corpus(html, result.getJsonObject("corpus"));
        signatures(html, result.getJsonObject("signatures"));
        connections(html, result.getJsonArray("connections"));
        rates(html, result.getJsonArray("rates"));
        req(html, result.getJsonArray("req"));
        relays(html, result.getJsonObject("relays"));
        cpuPerEvent(html, result);
        gpu(html, result.getJsonObject("gpu"), result.getJsonArray("timeline"));
        html.append("<p>Every figure is in <code>").append(BenchSuite.RESULT_FILE)
                .append("</code> beside this page.</p></body></html>\n");
        return html.toString();
    }

    private static void machine(StringBuilder html, JsonObject result) {
        JsonObject machine = result.getJsonObject("machine", new JsonObject());
        String gpu = machine.getString("gpu");
        html.append("<p>Started ").append(escape(result.getString("started", ""))).append(" on ")
                .append(machine.getInteger("cpus", 0)).append(" × ").append(escape(machine.getString("cpuModel", "?")))
                .append(", Java ").append(escape(machine.getString("java", "?"))).append(", load average at start ")
                .append(escape(machine.getString("loadAverage", "?"))).append("; GPU: ")
                .append(gpu == null ? "none" : escape(gpu)).append(". The suite took ")
                .append(result.getValue("seconds", "?")).append(" s.</p>");
        JsonObject target = result.getJsonObject("target");
        if (target != null) {
            html.append("<p>Load target: <code>").append(escape(target.getString("url"))).append("</code> (")
                    .append(target.getBoolean("started", false) ? "a relay of this jar started by the suite, "
                            + escape(target.getString("verification", "")) : "an external relay").append(").</p>");
        }
        JsonArray failures = result.getJsonArray("failures", new JsonArray());
        for (int i = 0; i < failures.size(); i++) {
            JsonObject failure = failures.getJsonObject(i);
            html.append("<p class=\"fail\">Scenario ").append(escape(failure.getString("scenario")))
                    .append(" failed: ").append(escape(failure.getString("error"))).append("</p>");
        }
    }

    private static void corpus(StringBuilder html, JsonObject corpus) {
        if (corpus == null) {
            return;
        }
        html.append("<h2>Corpus</h2><p>").append(corpus.getValue("events")).append(" events (seed ")
                .append(corpus.getValue("seed")).append("), by kind ").append(escape(corpus.getJsonObject("byKind")
                        .encode())).append("; ").append(corpus.getValue("badSignatures")).append(" with a bad signature, ")
                .append(corpus.getValue("badIds")).append(" with a bad id; built and signed in ")
                .append(corpus.getValue("seconds")).append(" s (").append(corpus.getValue("eventsPerSecond"))
                .append(" events/s, all cores).</p>");
    }

    private static void signatures(StringBuilder html, JsonObject signatures) {
        if (signatures == null) {
            return;
        }
        html.append("<h2>Signature verification throughput by batch size</h2><p>Median of the repetitions, every "
                + "verdict checked; CUDA: ").append(escape(signatures.getString("cuda", "?"))).append(".</p>");
        JsonArray series = signatures.getJsonArray("series");
        List<SvgChart.Series> lines = new ArrayList<>();
        Map<Integer, Map<String, Object>> rows = new java.util.TreeMap<>();
        List<String> names = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            JsonObject one = series.getJsonObject(s);
            names.add(one.getString("name"));
            List<double[]> points = new ArrayList<>();
            JsonArray values = one.getJsonArray("points");
            for (int p = 0; p < values.size(); p++) {
                JsonObject point = values.getJsonObject(p);
                points.add(new double[] {point.getInteger("batch"), point.getDouble("perSecond")});
                rows.computeIfAbsent(point.getInteger("batch"), b -> new LinkedHashMap<>())
                        .put(one.getString("name"), point.getValue("perSecond"));
            }
            lines.add(new SvgChart.Series(one.getString("name"), points));
        }
        html.append(SvgChart.line("signatures", "Verifies/s against batch size", "signatures per batch",
                "verifies/s", true, true, lines, List.of()));
        List<String> header = new ArrayList<>(List.of("batch"));
        header.addAll(names);
        List<List<Object>> table = new ArrayList<>();
        rows.forEach((batch, byName) -> {
            List<Object> row = new ArrayList<>(List.of(batch));
            names.forEach(name -> row.add(byName.getOrDefault(name, "–")));
            table.add(row);
        });
        table(html, header, table);
    }

    private static void connections(StringBuilder html, JsonArray runs) {
        if (runs == null) {
            return;
        }
        html.append("<h2>Concurrent publishing connections</h2><p>Closed loop: each connection keeps ")
                .append(LoadScenarios.WINDOW).append(" events unacknowledged.</p>");
        List<String> categories = new ArrayList<>();
        List<List<Object>> table = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonObject run = runs.getJsonObject(i);
            categories.add(run.getInteger("connections") + " connections");
            table.add(ingestRow(run.getInteger("connections"), run));
        }
        html.append(latencyBars("connections", "OK latency by concurrent connections", categories, runs));
        table(html, ingestHeader("connections"), table);
    }

    private static void rates(StringBuilder html, JsonArray runs) {
        if (runs == null) {
            return;
        }
        html.append("<h2>OK latency against offered rate</h2><p>Open loop: events are sent at the offered rate "
                + "whatever the answers; latency counts from each event's scheduled instant (coordinated omission "
                + "accounted for, HdrHistogram).</p>");
        List<List<double[]>> curves = new ArrayList<>();
        for (String ignored : PERCENTILES) {
            curves.add(new ArrayList<>());
        }
        List<double[]> accepted = new ArrayList<>();
        List<List<Object>> table = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonObject run = runs.getJsonObject(i);
            double offered = run.getDouble("offeredPerSecond");
            JsonObject latency = run.getJsonObject("latencyMs");
            for (int p = 0; p < PERCENTILES.length; p++) {
                curves.get(p).add(new double[] {offered, latency.getDouble(PERCENTILES[p])});
            }
            accepted.add(new double[] {offered, run.getDouble("acceptedPerSecond")});
            table.add(ingestRow(run.getValue("offeredPerSecond"), run));
        }
        List<SvgChart.Series> series = new ArrayList<>();
        for (int p = 0; p < PERCENTILES.length; p++) {
            series.add(new SvgChart.Series(PERCENTILE_NAMES[p], curves.get(p)));
        }
        html.append(SvgChart.line("rates", "OK latency percentiles against offered rate", "offered events/s",
                "ms (log)", false, true, series, List.of()));
        html.append(SvgChart.line("rates-accepted", "Accepted against offered rate", "offered events/s",
                "accepted events/s", false, false, List.of(new SvgChart.Series("accepted events/s", accepted),
                        new SvgChart.Series("offered", accepted.stream().map(a -> new double[] {a[0], a[0]})
                                .toList())), List.of()));
        table(html, ingestHeader("offered/s"), table);
    }

    private static void req(StringBuilder html, JsonArray shapes) {
        if (shapes == null) {
            return;
        }
        html.append("<h2>REQ latency per filter shape</h2><p>One connection, one REQ in flight, limit 100, on what "
                + "the scenarios above published; REQ to EOSE.</p>");
        List<String> categories = new ArrayList<>();
        List<List<Object>> table = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            JsonObject shape = shapes.getJsonObject(i);
            JsonObject latency = shape.getJsonObject("latencyMs");
            categories.add(shape.getString("shape"));
            table.add(List.of(shape.getString("shape"), shape.getValue("queries"),
                    String.format(java.util.Locale.ROOT, "%.1f", shape.getDouble("eventsPerQuery")),
                    shape.getValue("perSecond"), latency.getValue("p50"), latency.getValue("p99"),
                    latency.getValue("max"), orDash(shape.getValue("relayCpuMicrosPerQuery"))));
        }
        html.append(latencyBars("req", "REQ → EOSE latency by filter shape", categories, shapes));
        table(html, List.of("shape", "REQs", "events/REQ", "REQ/s", "p50 ms", "p99 ms", "max ms",
                "relay CPU µs/REQ"), table);
    }

    private static void relays(StringBuilder html, JsonObject relays) {
        if (relays == null) {
            return;
        }
        html.append("<h2>N relays : 1 worker</h2><p>Each step is a fresh loopback cluster: one verification worker "
                + "(backend ").append(escape(String.valueOf(relays.getValue("workerBackends")))).append(") and N "
                + "relay processes with empty databases, publishers spread evenly over the relays. Verdicts by path say who verified "
                + "during the measured run (worker, or the relays' CPU fallback).</p>");
        JsonArray steps = relays.getJsonArray("steps");
        Map<String, List<double[]>> aggregate = new LinkedHashMap<>();
        List<List<Object>> table = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonObject step = steps.getJsonObject(i);
            aggregate.computeIfAbsent(workerLabel(step), k -> new ArrayList<>())
                    .add(new double[] {step.getInteger("relays"), step.getDouble("acceptedPerSecond")});
            List<Object> row = ingestRow(step.getInteger("relays") + " : " + workerLabel(step), step);
            JsonObject paths = new JsonObject();
            step.getJsonObject("verdictsByPath", new JsonObject()).forEach(path -> {
                if (!Long.valueOf(0).equals(((Number) path.getValue()).longValue())) {
                    paths.put(path.getKey(), path.getValue());
                }
            });
            row.add(paths.encode());
            JsonObject worker = step.getJsonObject("worker");
            row.add(worker == null ? "?" : worker.getString("backend", "?") + (worker.getValue("device") == null
                    ? "" : " (" + worker.getValue("device") + ")"));
            table.add(row);
        }
        List<SvgChart.Series> series = new ArrayList<>();
        aggregate.forEach((worker, points) -> series.add(new SvgChart.Series(worker, points)));
        html.append(SvgChart.line("relays", "Aggregate accepted events/s against relay processes (one worker)",
                "relay processes", "accepted events/s", false, false, series, List.of()));
        List<String> header = ingestHeader("relays : worker");
        header.add("verdicts by path");
        header.add("worker's backend");
        table(html, header, table);
    }

    /** CPU per accepted event of each process kind, for every ingest run that measured it. */
    private static void cpuPerEvent(StringBuilder html, JsonObject result) {
        List<String> categories = new ArrayList<>();
        Map<String, List<double[]>> byProcess = new LinkedHashMap<>();
        List<String> kinds = List.of("relay(s)", "worker", CpuMeter.LOAD_GENERATOR);
        kinds.forEach(kind -> byProcess.put(kind, new ArrayList<>()));
        addCpuRuns(result.getJsonArray("connections"), "connections", " connections", categories, byProcess);
        addCpuRuns(result.getJsonArray("rates"), "offeredPerSecond", " events/s offered", categories, byProcess);
        JsonObject relays = result.getJsonObject("relays");
        if (relays != null) {
            addCpuRuns(relays.getJsonArray("steps"), "relays", " relay(s) : 1 worker", categories, byProcess);
        }
        if (categories.isEmpty()) {
            return;
        }
        html.append("<h2>CPU per accepted event, by process</h2><p>User + system CPU time from /proc over each "
                + "measured run, divided by the events accepted; the relays' figure is their sum.</p>");
        List<SvgChart.Series> series = new ArrayList<>();
        byProcess.forEach((kind, points) -> series.add(new SvgChart.Series(kind, points)));
        html.append(SvgChart.bars("cpu", "CPU per accepted event", "µs per accepted event", categories, series));
    }

    private static void addCpuRuns(JsonArray runs, String key, String suffix, List<String> categories,
                                   Map<String, List<double[]>> byProcess) {
        if (runs == null) {
            return;
        }
        for (int i = 0; i < runs.size(); i++) {
            JsonObject run = runs.getJsonObject(i);
            JsonObject cpu = run.getJsonObject("cpuMicrosPerAcceptedEvent");
            if (cpu == null) {
                continue;
            }
            int category = categories.size();
            categories.add(run.getValue(key) + suffix + (run.containsKey("workerBackend")
                    ? " (" + run.getString("workerBackend") + ")" : ""));
            double relays = Double.NaN;
            double worker = Double.NaN;
            for (String name : cpu.fieldNames()) {
                Double value = cpu.getDouble(name);
                if (value == null) {
                    continue;
                }
                if (name.startsWith("relay")) {
                    relays = (Double.isNaN(relays) ? 0 : relays) + value;
                } else if (name.startsWith("worker")) {
                    worker = value;
                }
            }
            Double generator = cpu.getDouble(CpuMeter.LOAD_GENERATOR);
            byProcess.get("relay(s)").add(new double[] {category, relays});
            byProcess.get("worker").add(new double[] {category, worker});
            byProcess.get(CpuMeter.LOAD_GENERATOR).add(new double[] {category, generator == null ? Double.NaN
                    : generator});
        }
    }

    private static void gpu(StringBuilder html, JsonObject gpu, JsonArray timeline) {
        html.append("<h2>GPU over time</h2>");
        if (gpu == null || !gpu.getBoolean("available", false)) {
            html.append("<p class=\"gpu-absent\">No GPU was sampled: ")
                    .append(escape(gpu == null ? "the monitor did not run" : gpu.getString("reason", "")))
                    .append(".</p>");
            return;
        }
        JsonArray samples = gpu.getJsonArray("samples");
        List<double[]> utilisation = new ArrayList<>();
        List<double[]> memory = new ArrayList<>();
        List<double[]> power = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            JsonObject sample = samples.getJsonObject(i);
            double t = sample.getDouble("t");
            utilisation.add(new double[] {t, value(sample, "utilizationPercent")});
            Double used = sample.getDouble("memoryUsedMiB");
            Double total = sample.getDouble("memoryTotalMiB");
            memory.add(new double[] {t, used == null || total == null || total == 0 ? Double.NaN : used / total * 100});
            power.add(new double[] {t, value(sample, "powerWatts")});
        }
        List<SvgChart.Band> bands = new ArrayList<>();
        for (int i = 0; timeline != null && i < timeline.size(); i++) {
            JsonObject span = timeline.getJsonObject(i);
            bands.add(new SvgChart.Band(span.getString("scenario"), span.getDouble("start"), span.getDouble("end")));
        }
        html.append("<p>").append(escape(gpu.getString("name", "GPU"))).append(", sampled by nvidia-smi; the bands "
                + "are the scenarios.</p>");
        html.append(SvgChart.line("gpu-utilisation", "GPU utilisation and memory", "seconds since the suite started",
                "percent", false, false, List.of(new SvgChart.Series("utilisation %", utilisation),
                        new SvgChart.Series("memory used %", memory)), bands));
        html.append(SvgChart.line("gpu-power", "GPU power", "seconds since the suite started", "watts", false, false,
                List.of(new SvgChart.Series("power W", power)), bands));
    }

    /** p50 and p99 bars of each run's {@code latencyMs}, one row per category. */
    private static String latencyBars(String id, String title, List<String> categories, JsonArray runs) {
        List<double[]> p50 = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JsonObject latency = runs.getJsonObject(i).getJsonObject("latencyMs");
            p50.add(new double[] {i, latency.getDouble("p50")});
            p99.add(new double[] {i, latency.getDouble("p99")});
        }
        return SvgChart.bars(id, title, "ms", categories, List.of(new SvgChart.Series("p50", p50),
                new SvgChart.Series("p99", p99)));
    }

    private static String workerLabel(JsonObject step) {
        return step.getString("workerBackend", "?") + " worker";
    }

    private static List<String> ingestHeader(String first) {
        return new ArrayList<>(List.of(first, "events", "accepted/s", "refused", "no answer", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "relay CPU µs/event", "worker CPU µs/event", "load generator CPU µs/event"));
    }

    private static List<Object> ingestRow(Object first, JsonObject run) {
        JsonObject latency = run.getJsonObject("latencyMs");
        JsonObject cpu = run.getJsonObject("cpuMicrosPerAcceptedEvent", new JsonObject());
        StringBuilder relays = new StringBuilder();
        Object worker = "–";
        for (String name : cpu.fieldNames()) {
            if (name.startsWith("relay")) {
                relays.append(relays.length() == 0 ? "" : " + ").append(orDash(cpu.getValue(name)));
            } else if (name.startsWith("worker")) {
                worker = orDash(cpu.getValue(name));
            }
        }
        return new ArrayList<>(List.of(first, run.getValue("events"), run.getValue("acceptedPerSecond"),
                run.getJsonObject("refusedByReason", new JsonObject()).encode(), run.getValue("unanswered"),
                latency.getValue("p50"), latency.getValue("p90"), latency.getValue("p99"), latency.getValue("max"),
                relays.length() == 0 ? "–" : relays.toString(), worker,
                orDash(cpu.getValue(CpuMeter.LOAD_GENERATOR))));
    }

    private static void table(StringBuilder html, List<String> header, List<List<Object>> rows) {
        html.append("<table><tr>");
        header.forEach(cell -> html.append("<th>").append(escape(cell)).append("</th>"));
        html.append("</tr>");
        for (List<Object> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(String.valueOf(cell))).append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>");
    }

    private static Object orDash(Object value) {
        return value == null ? "–" : value;
    }

    private static double value(JsonObject sample, String key) {
        Double value = sample.getDouble(key);
        return value == null ? Double.NaN : value;
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
