package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar nostr-gpu-relay.jar bench} on tiny inputs, from the packaged jar: a small corpus, a 2-second
 * fixed-rate run and 25 connections against the relay the suite starts, REQ per shape, and N = 2 relay processes
 * against one CPU worker. The results must hold every expected series, and the report must render them: its SVG
 * series are read from the HTML, then (where Chromium is installed, always under CI=true) from the page a real
 * headless browser laid out. No assertion on speed.
 */
class BenchSuiteIT {
    private static final Pattern CHART = Pattern.compile("<svg data-chart=\"([^\"]+)\"(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern SERIES = Pattern.compile("<g data-series=\"([^\"]+)\">(.*?)</g>", Pattern.DOTALL);

    @TempDir
    Path out;

    @Test
    void tinySuiteWritesEveryExpectedSeriesAndTheReportRendersThem() throws Exception {
        Path results = out.resolve("suite");
        ChildJvm suite = ChildJvm.start("bench-suite", ChildJvm.packagedJar(), ChildJvm.logDir(), List.of("bench",
                "--out", results.toString(), "--warmup", "200", "--signature-batches", "1,10,100",
                "--one-thread-max-batch", "10", "--signature-seconds", "0.1", "--signature-repetitions", "1",
                "--connections", "25", "--connection-events", "100", "--rates", "50", "--rate-seconds", "2",
                "--rate-connections", "2", "--req-queries", "10", "--relays", "2", "--relay-events", "100",
                "--relay-connections", "2", "--heap", "256m",
                "--service-jvm", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
        int status;
        try {
            status = suite.awaitExit(Duration.ofMinutes(4));
        } finally {
            suite.close();
        }
        assertEquals(0, status, "the suite failed:\n" + suite.logTail(40));

        JsonObject result = new JsonObject(Files.readString(results.resolve("result.json")));
        assertTrue(result.getJsonArray("failures").isEmpty(), result.getJsonArray("failures").encode());
        int cores = result.getJsonObject("machine").getInteger("cpus");

        JsonObject signatures = result.getJsonObject("signatures");
        JsonArray backends = signatures.getJsonArray("series");
        assertEquals(List.of("CPU 1 thread", "CPU " + cores + " threads"), names(backends, "name"),
                "no GPU here: the CPU backends only");
        assertEquals(List.of(1, 10), batches(backends.getJsonObject(0)), "one thread stops at --one-thread-max-batch");
        assertEquals(List.of(1, 10, 100), batches(backends.getJsonObject(1)));
        assertTrue(signatures.getString("cuda").startsWith("unavailable"), signatures.getString("cuda"));

        JsonObject corpus = result.getJsonObject("corpus");
        assertTrue(corpus.getInteger("events") >= 400, corpus.encode());
        assertEquals(Map.of("0", true, "1", true, "3", true, "7", true, "30023", true),
                Map.of("0", has(corpus, "0"), "1", has(corpus, "1"), "3", has(corpus, "3"), "7", has(corpus, "7"),
                        "30023", has(corpus, "30023")), "every kind of the mix: " + corpus.encode());

        JsonObject connections = result.getJsonArray("connections").getJsonObject(0);
        assertEquals(25, connections.getInteger("connections"));
        assertEquals(100, connections.getInteger("events"));
        assertEquals(0L, connections.getLong("unanswered"), connections.encode());
        assertTrue(connections.getJsonObject("cpuMicrosPerAcceptedEvent").getDouble("relay") > 0,
                "the relay's CPU from /proc: " + connections.encode());

        JsonObject rate = result.getJsonArray("rates").getJsonObject(0);
        assertEquals(50, rate.getInteger("offeredPerSecond"));
        assertEquals(100, rate.getInteger("events"), "2 s at 50 events/s");
        assertTrue(rate.getDouble("seconds") >= 1.9, "an open loop takes the scheduled time: " + rate.encode());
        assertEquals(100L, rate.getJsonObject("latencyMs").getLong("count"), "every event answered");

        JsonArray shapes = result.getJsonArray("req");
        assertEquals(List.of("authors", "kinds", "#t", "#e", "#p", "ids", "since/until", "authors+kinds",
                "authors+until", "2 filters", "mix"), names(shapes, "shape"));

        JsonObject step = result.getJsonObject("relays").getJsonArray("steps").getJsonObject(0);
        assertEquals(2, step.getInteger("relays"));
        assertEquals("cpu", step.getString("workerBackend"));
        assertTrue(step.getJsonObject("worker").getString("backend").toLowerCase().contains("cpu"),
                "the worker's /health names its backend: " + step.encode());
        assertTrue(step.getLong("accepted") > 0, step.encode());
        assertTrue(step.getJsonObject("verdictsByPath").getLong("worker") > 0,
                "the worker verified during the measured run: " + step.encode());
        JsonObject cpu = step.getJsonObject("cpuMicrosPerAcceptedEvent");
        assertEquals(List.of("relay-1-of-2-cpu", "relay-2-of-2-cpu", "worker-cpu-2", "load generator"),
                new ArrayList<>(cpu.fieldNames()), cpu.encode());

        assertFalse(result.getJsonObject("gpu").getBoolean("available"));

        String html = Files.readString(results.resolve("report.html"));
        assertFalse(html.contains("<script") || html.contains("http://") && !html.contains("xmlns=\"http://"),
                "self-contained: no script, nothing fetched");
        Map<String, List<String>> expected = Map.of(
                "signatures", List.of("CPU 1 thread", "CPU " + cores + " threads"),
                "connections", List.of("p50", "p99"),
                "rates", List.of("p50", "p90", "p99", "p99.9"),
                "req", List.of("p50", "p99"),
                "relays", List.of("cpu worker"),
                "cpu", List.of("relay(s)", "worker", "load generator"));
        Map<String, List<String>> inHtml = seriesInHtml(html);
        expected.forEach((chart, series) -> assertEquals(series, inHtml.get(chart), "chart " + chart));
        assertTrue(html.contains("No GPU was sampled"), "the report says there was no GPU");

        Path chromium = HeadlessChromium.binaryOrSkip();
        try (HeadlessChromium browser = HeadlessChromium.start(chromium, ChildJvm.logDir().resolve("bench-suite"))) {
            browser.open(results.resolve("report.html").toUri().toString());
            browser.awaitTrue("document.readyState === 'complete' && document.querySelectorAll('svg').length > 0",
                    Duration.ofSeconds(30), "the report's charts");
            for (Map.Entry<String, List<String>> chart : expected.entrySet()) {
                String selector = "svg[data-chart=\"" + chart.getKey() + "\"] g[data-series]";
                Object names = browser.evaluate("Array.from(document.querySelectorAll('" + selector
                        + "')).map(g => g.getAttribute('data-series')).join('|')");
                assertEquals(String.join("|", chart.getValue()), names, "rendered chart " + chart.getKey());
                // laid out: each series' marks have a size on the page
                Object drawn = browser.evaluate("Array.from(document.querySelectorAll('" + selector + "')).every("
                        + "g => Array.from(g.querySelectorAll('.point')).some(m => { const b = m.getBBox(); "
                        + "return b.width > 0 && b.height > 0; }))");
                assertEquals(Boolean.TRUE, drawn, "every series of " + chart.getKey() + " draws marks");
            }
            browser.screenshot(ChildJvm.logDir().resolve("bench-suite").resolve("report.png"));
        }
    }

    private static Map<String, List<String>> seriesInHtml(String html) {
        Map<String, List<String>> charts = new java.util.HashMap<>();
        Matcher chart = CHART.matcher(html);
        while (chart.find()) {
            List<String> names = new ArrayList<>();
            Matcher series = SERIES.matcher(chart.group(2));
            while (series.find()) {
                assertTrue(series.group(2).contains("class=\"point\""), "series " + series.group(1) + " has marks");
                names.add(series.group(1));
            }
            charts.put(chart.group(1), names);
        }
        return charts;
    }

    private static boolean has(JsonObject corpus, String kind) {
        return corpus.getJsonObject("byKind").getInteger(kind, 0) > 0;
    }

    private static List<String> names(JsonArray array, String key) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            names.add(array.getJsonObject(i).getString(key));
        }
        return names;
    }

    private static List<Integer> batches(JsonObject series) {
        List<Integer> batches = new ArrayList<>();
        JsonArray points = series.getJsonArray("points");
        for (int i = 0; i < points.size(); i++) {
            batches.add(points.getJsonObject(i).getInteger("batch"));
        }
        return batches;
    }
}
