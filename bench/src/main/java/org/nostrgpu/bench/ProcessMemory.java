package org.nostrgpu.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a relay process seen from outside: its resident set from Linux's {@code /proc/PID/status}, and its Java
 * heap in use from the relay's own {@code /metrics} (the JVM meters Vert.x registers).
 */
final class ProcessMemory {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern HEAP_SAMPLE =
            Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);

    private ProcessMemory() {
    }

    /** Resident set size in bytes. */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory of process " + pid, e);
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** The value of one counter or gauge of the relay's {@code /metrics} (summed over its labels); -1 when absent. */
    static double metric(String host, int port, String name) {
        String text = metricsText(host, port);
        if (text == null) {
            return -1;
        }
        Matcher sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(text);
        double total = -1;
        while (sample.find()) {
            total = Math.max(total, 0) + Double.parseDouble(sample.group(2));
        }
        return total;
    }

    private static String metricsText(String host, int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Heap in use (all pools) from {@code http://host:port/metrics}; -1 when it does not answer. */
    static long heapUsedBytes(String host, int port) {
        String text = metricsText(host, port);
        if (text == null) {
            return -1;
        }
        double total = 0;
        Matcher sample = HEAP_SAMPLE.matcher(text);
        while (sample.find()) {
            total += Double.parseDouble(sample.group(1));
        }
        return (long) total;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format("%.0f MiB", bytes / 1048576.0);
    }
}
