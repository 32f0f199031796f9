package org.nostrgpu.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One subcommand of the built jar running in its own JVM, its output (stdout and stderr together) in a log file.
 * The child gets none of the settings this JVM's environment might carry (HOST, PORT, CLUSTER_*, config paths):
 * only its arguments configure it.
 */
final class ChildJvm implements AutoCloseable {
    private static final List<String> SCRUBBED_ENV = List.of("HOST", "PORT", "CLUSTER", "CLUSTER_HOST",
            "CLUSTER_PORT", "CLUSTER_MEMBERS", "CLUSTER_CONFIG", ClusterTlsMixin.KEYSTORE_ENV,
            ClusterTlsMixin.TRUSTSTORE_ENV, ClusterTlsMixin.PASSWORD_ENV, RelayConfigResolver.CONFIG_ENV,
            WorkerConfigResolver.CONFIG_ENV);
    /**
     * Small heaps and one GC thread: three of these share two cores with the test. The explicit -Xmx also keeps the
     * service in the started JVM ({@code HeapDefault} starts no child then), so {@link #pid()} and the signals this
     * class sends reach the relay or worker itself.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The shaded jar the build packaged (failsafe names it); fails when it is not built. */
    static Path packagedJar() {
        Path jar = Path.of(System.getProperty("nostr.app.jar", "target/nostr-gpu-relay.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the IT runs the packaged jar; build it first (mvn package): " + jar);
        }
        return jar;
    }

    /** Where the children's logs go. */
    static Path logDir() {
        return Path.of(System.getProperty("nostr.it.logs", "target/it-logs")).toAbsolutePath();
    }

    /** Starts {@code java -jar jar args...} with the java running this test. */
    static ChildJvm start(String name, Path jar, Path logDir, List<String> args) throws IOException {
        return start(name, jar, logDir, JVM_OPTIONS, args);
    }

    /** Like {@link #start(String, Path, Path, List)}, with these JVM options instead of the small-heap ones. */
    static ChildJvm start(String name, Path jar, Path logDir, List<String> jvmOptions, List<String> args)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        SCRUBBED_ENV.forEach(env::remove);
        Files.writeString(log, "");
        return new ChildJvm(name, builder.start(), log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** The child's standard input (a pipe; closing it ends the input). */
    java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the process to end by itself.
     *
     * @return its exit code, or -1 when it was still running after {@code timeout} (it is then killed)
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        kill();
        return -1;
    }

    /** SIGKILL: the process gets no chance to answer, unregister or leave the cluster. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}) with the system's {@code kill} command. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed with status " + kill.exitValue());
        }
    }

    /**
     * SIGTERM, then waits for the process to exit.
     *
     * @return its exit code, or -1 when it was still running after {@code timeout} (it is then killed)
     */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        kill();
        return -1;
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last lines of the log, for failure messages. */
    String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
