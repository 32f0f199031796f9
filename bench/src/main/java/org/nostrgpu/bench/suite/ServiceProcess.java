package org.nostrgpu.bench.suite;

import org.nostrgpu.bench.verify.ProcessCpu;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A relay or worker of the jar started in a JVM of its own ({@code java -Xmx... -jar JAR relay|worker ...}), its
 * output in a log file. The heap is always given explicitly, so the jar does not relaunch the service in a child
 * JVM with its heap default: this process's pid is the service's, and its CPU time (from /proc) is the service's.
 */
final class ServiceProcess implements AutoCloseable {
    /** HTTP/1.1: the services' Vert.x servers and an HTTP/2 upgrade of a plain connection do not mix well. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Started and not yet closed: stopped by a shutdown hook too, so a suite killed by SIGTERM leaves none behind. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "stop-started-services"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java JVM_OPTIONS -jar JAR ARGS}; {@code javaHome} is this JVM's. */
    static ServiceProcess start(String name, Path jar, List<String> jvmOptions, List<String> args, Path logDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // only the arguments configure it: no HOST, PORT or CLUSTER_* of the caller's environment
        builder.environment().keySet().removeIf(key -> key.equals("HOST") || key.equals("PORT")
                || key.startsWith("CLUSTER") || key.startsWith("NOSTR_"));
        Process process = builder.start();
        RUNNING.add(process);
        return new ServiceProcess(name, process, log);
    }

    /** Waits until {@code url} answers 200 (with that Accept header), or fails with the log's tail. */
    void awaitHttp(String url, String accept, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (get(url, accept) != null) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not answer " + url + " within " + bound + ":\n" + logTail());
    }

    /** The body of a 200 answer, or null. */
    static String get(String url, String accept) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", accept).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** CPU nanoseconds this process has used so far (user + system, from /proc); -1 when unreadable. */
    long cpuNanos() {
        return ProcessCpu.nanos(process.pid());
    }

    /** The log's last lines that say something (stack frames left out), for failure messages; the log has all. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t...")
                            && !line.startsWith("---(") && !line.isBlank()).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size())) + "\n(log: "
                    + log + ")";
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        RUNNING.remove(process);
    }

    /** A port free on loopback now (the service binds it a moment later). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
