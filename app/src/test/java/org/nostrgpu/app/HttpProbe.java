package org.nostrgpu.app;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain HTTP GETs against the children's loopback ports: NIP-11, worker /health, Prometheus /metrics. */
final class HttpProbe {
    /**
     * HTTP/1.1 as Prometheus and curl speak it: the JDK's default, an upgrade to HTTP/2 on plain connections, broke
     * on the worker's large /metrics answer (a frame-size protocol error) when Vert.x accepted the upgrade.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private HttpProbe() {
    }

    /** The relay's NIP-11 document, or empty while it does not answer it. */
    static Optional<JsonObject> relayInfo(int port) {
        return get("http://127.0.0.1:" + port + "/", "application/nostr+json")
                .filter(response -> response.statusCode() == 200)
                .map(response -> new JsonObject(response.body()));
    }

    /** The worker's {@code GET /health} JSON (whatever the status code), or empty while it does not answer. */
    static Optional<JsonObject> workerHealth(int port) {
        return get("http://127.0.0.1:" + port + "/health", "application/json")
                .map(response -> new JsonObject(response.body()));
    }

    /** {@code GET /metrics} as Prometheus text; fails when it does not answer 200. */
    static String metrics(int port) {
        return metrics("127.0.0.1", port);
    }

    /** {@code GET /metrics} of {@code host:port} as Prometheus text; fails when it does not answer 200. */
    static String metrics(String host, int port) {
        String url = "http://" + host + ":" + port + "/metrics";
        HttpResponse<String> response;
        try {
            response = HTTP.send(request(url, "text/plain"), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no answer from " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while asking " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new AssertionError(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The body of a GET that must answer 200. */
    static String get(String url) {
        HttpResponse<String> response = get(url, "text/html")
                .orElseThrow(() -> new AssertionError("no answer from " + url));
        if (response.statusCode() != 200) {
            throw new AssertionError(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The sum of the samples of {@code metric} whose labels include all of {@code labels}. */
    static double sum(String prometheusText, String metric, Map<String, String> labels) {
        double total = 0;
        for (String line : prometheusText.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find() || !sample.group(1).equals(metric)) {
                continue;
            }
            if (matches(sample.group(3), labels)) {
                total += Double.parseDouble(sample.group(4));
            }
        }
        return total;
    }

    /** The samples of {@code metric} summed by the value of {@code label}, leaving out zeros. */
    static Map<String, Long> byLabel(String prometheusText, String metric, String label) {
        Map<String, Long> totals = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find() || !sample.group(1).equals(metric) || sample.group(3) == null) {
                continue;
            }
            String value = labels(sample.group(3)).get(label);
            long count = (long) Double.parseDouble(sample.group(4));
            if (value != null && count > 0) {
                totals.merge(value, count, Long::sum);
            }
        }
        return totals;
    }

    private static Map<String, String> labels(String labelText) {
        Map<String, String> present = new HashMap<>();
        Matcher label = LABEL.matcher(labelText);
        while (label.find()) {
            present.put(label.group(1), label.group(2));
        }
        return present;
    }

    private static boolean matches(String labelText, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        if (labelText == null) {
            return false;
        }
        Map<String, String> present = labels(labelText);
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(present.get(e.getKey())));
    }

    private static HttpRequest request(String url, String accept) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static Optional<HttpResponse<String>> get(String url, String accept) {
        try {
            return Optional.of(HTTP.send(request(url, accept), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
