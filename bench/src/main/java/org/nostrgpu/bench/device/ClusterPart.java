package org.nostrgpu.bench.device;

import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.verify.ProcessCpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The clustered event bus: one worker process and several "relay-side" sender processes, each a real clustered
 * Vert.x on a loopback Hazelcast cluster ({@link ClusterMember}). The senders send verify requests of a relay's
 * size with a bounded number outstanding; rounds of 1, 2, 4 senders measure the verifies/s the worker sustains and
 * the CPU each side spends per verify, read from /proc for every process.
 */
final class ClusterPart {
    /** Shortest wait for the cluster to form, however little of the part's time is left. */
    private static final long MIN_START_SECONDS = 10;

    static int run(DeviceCheckOptions options, PartResults results) throws Exception {
        DeviceCorpus zipf = DeviceCorpus.load(options, results).get(1);
        Path corpusFile = options.work().resolve("cluster-senders.corpus");
        DeviceCorpus.write(corpusFile, zipf);
        int senderCount = options.senders().get(options.senders().size() - 1);
        List<Integer> ports = freePorts(1 + senderCount);
        String members = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        List<Child> children = new ArrayList<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        try {
            long start = System.nanoTime();
            Child worker = Child.start("worker", List.of("worker", ports.get(0).toString(), members,
                    Integer.toString(options.threads()), Integer.toString(options.keyCacheEntries()),
                    options.ptx() == null ? "-" : options.ptx().toString(), Integer.toString(options.workerInFlight())),
                    "-Xmx6g", results);
            children.add(worker);
            worker.awaitLine("READY", startSeconds(results));
            List<Child> senders = new ArrayList<>();
            for (int s = 0; s < senderCount; s++) {
                Child sender = Child.start("sender-" + (s + 1), List.of("sender", ports.get(1 + s).toString(), members,
                        corpusFile.toString(), Integer.toString(options.senderRequest()),
                        Integer.toString(options.senderInFlight()),
                        Integer.toString(s * options.senderRequest() * options.senderInFlight())), "-Xmx2g", results);
                children.add(sender);
                senders.add(sender);
            }
            for (Child sender : senders) {
                sender.awaitLine("READY", startSeconds(results));
            }
            results.log(PartResults.f("cluster of 1 worker and %d senders formed in %.1f s (Hazelcast on %s)",
                    senderCount, Timings.since(start), members));
            JsonObject status = worker.ask("STATUS", "STATUS");
            String backend = status.getString("backend");
            results.log("worker: " + backend + " (" + status.getString("reason") + ")");

            round(senders, worker, Math.min(2, options.clusterSeconds()), results); // warm-up, all senders
            PartResults.Table table = results.table("Clustered event bus on loopback: 1 worker process (" + backend
                            + "), sender processes each keeping " + options.senderInFlight() + " requests of "
                            + options.senderRequest() + " outstanding", "senders", "verifies/s", "per sender",
                    "worker CPU µs/verify", "worker cores busy", "senders CPU µs/verify", "non-OK", "not verified",
                    "mismatches");
            for (int count : options.senders()) {
                if (results.outOfTime()) {
                    results.log("out of time: no round with " + count + " senders");
                    break;
                }
                Map<String, Object> round = round(senders.subList(0, count), worker, options.clusterSeconds(), results);
                rounds.add(round);
                table.row(count, PartResults.rate((double) round.get("verifiesPerSecond")),
                        PartResults.rate((double) round.get("verifiesPerSecond") / count),
                        PartResults.f("%.2f", (double) round.get("workerCpuMicrosPerVerify")),
                        PartResults.f("%.1f", (double) round.get("workerCoresBusy")),
                        PartResults.f("%.2f", (double) round.get("sendersCpuMicrosPerVerify")),
                        round.get("notOk"), round.get("undecided"), round.get("mismatches"));
            }
            table.print();
            results.put("worker", worker.ask("STATUS", "STATUS").getMap());
        } finally {
            children.forEach(Child::exit); // all at once: they leave the cluster together
            children.forEach(Child::stop);
        }
        results.put("rounds", rounds);
        return 0;
    }

    /** Every given sender runs for {@code seconds}; CPU of each process from /proc around it. */
    private static Map<String, Object> round(List<Child> senders, Child worker, double seconds, PartResults results)
            throws Exception {
        long workerCpu = ProcessCpu.nanos(worker.pid());
        long sendersCpu = senders.stream().mapToLong(sender -> ProcessCpu.nanos(sender.pid())).sum();
        long start = System.nanoTime();
        for (Child sender : senders) {
            sender.send("RUN " + seconds);
        }
        long requests = 0;
        long decided = 0;
        long notOk = 0;
        long undecided = 0;
        long mismatches = 0;
        double longest = 0;
        for (Child sender : senders) {
            JsonObject result = sender.awaitJson("RESULT", (long) seconds + 120);
            requests += result.getLong("requests");
            decided += result.getLong("decided");
            notOk += result.getLong("notOk");
            undecided += result.getLong("undecided");
            mismatches += result.getLong("mismatches");
            longest = Math.max(longest, result.getDouble("seconds"));
        }
        double wall = Timings.since(start);
        long workerSpent = ProcessCpu.nanos(worker.pid()) - workerCpu;
        long sendersSpent = senders.stream().mapToLong(sender -> ProcessCpu.nanos(sender.pid())).sum() - sendersCpu;
        results.mismatches(mismatches);
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("senders", senders.size());
        round.put("requests", requests);
        round.put("decided", decided);
        round.put("verifiesPerSecond", decided / longest);
        round.put("workerCpuMicrosPerVerify", workerSpent / 1e3 / Math.max(1, decided));
        round.put("workerCoresBusy", workerSpent / 1e9 / wall);
        round.put("sendersCpuMicrosPerVerify", sendersSpent / 1e3 / Math.max(1, decided));
        round.put("notOk", notOk);
        round.put("undecided", undecided);
        round.put("mismatches", mismatches);
        results.log(PartResults.f("%d sender(s) for %.1f s: %,d verifies (%,.0f/s), worker %.2f µs CPU per verify,"
                        + " senders %.2f µs, %d non-OK replies, %d mismatches", senders.size(), longest, decided,
                decided / longest, workerSpent / 1e3 / Math.max(1, decided),
                sendersSpent / 1e3 / Math.max(1, decided), notOk, mismatches));
        return round;
    }

    /** How long to wait for a member: what is left of the part's time, so a slow start still leaves its results. */
    private static long startSeconds(PartResults results) {
        return Math.max(MIN_START_SECONDS, (long) results.secondsLeft());
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** A member process: its lines of output queued, the rest of its log forwarded with its name. */
    private static final class Child {
        private final String name;
        private final Process process;
        private final PrintWriter input;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        /** Once told to exit, its log (members leaving the cluster one by one) is no longer forwarded. */
        private volatile boolean exiting;

        private Child(String name, Process process) {
            this.name = name;
            this.process = process;
            this.input = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static Child start(String name, List<String> args, String heap, PartResults results) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                            "java").toString()), heap, "--enable-native-access=ALL-UNNAMED",
                    "-Dnostrgpu.clk.tck=" + Long.getLong("nostrgpu.clk.tck", 100),
                    // what Hazelcast asks for on Java 9+, as the app jar's manifest grants it
                    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), ClusterMember.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Child child = new Child(name, process);
            Thread reader = new Thread(() -> child.read(results), name + "-output");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        long pid() {
            return process.pid();
        }

        void send(String line) {
            input.println(line);
        }

        JsonObject ask(String command, String answer) throws Exception {
            send(command);
            return awaitJson(answer, 30);
        }

        JsonObject awaitJson(String prefix, long timeoutSeconds) throws Exception {
            String line = awaitLine(prefix, timeoutSeconds);
            return new JsonObject(line.substring(prefix.length()).strip());
        }

        String awaitLine(String prefix, long timeoutSeconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                String line = answers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException(name + " sent no " + prefix + " in " + timeoutSeconds + " s"
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        private void read(PartResults results) {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null; ) {
                    if (line.startsWith("READY") || line.startsWith("RESULT") || line.startsWith("STATUS")) {
                        answers.add(line);
                    } else if (!line.isBlank() && !exiting) {
                        System.out.println("    [" + name + "] " + line);
                    }
                }
            } catch (IOException e) {
                results.log(name + ": output lost: " + e);
            }
        }

        void exit() {
            exiting = true;
            send("EXIT");
        }

        /** Waits for it to exit after {@link #exit()}; kills it when it does not in time. */
        void stop() {
            try {
                exit();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private ClusterPart() {
    }
}
