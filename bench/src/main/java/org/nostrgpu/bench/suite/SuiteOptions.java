package org.nostrgpu.bench.suite;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a suite run does. Every size has a default fit for a few minutes on a small machine; the device script
 * passes larger ones. {@code --url} points the load scenarios at any NIP-01 relay instead of the one the suite starts.
 */
record SuiteOptions(Path out, Path work, Path jar, String url, long relayPid, Set<String> scenarios, long seed,
                    int warmupEvents, List<Integer> signatureBatches, int oneThreadMaxBatch, double signatureSeconds,
                    int signatureRepetitions, boolean cuda, List<Integer> connections, int connectionEvents,
                    List<Integer> rates, double rateSeconds, int rateConnections, int reqQueries,
                    List<Integer> relayCounts, int relayEvents, int relayConnections, List<String> workerBackends,
                    String heap, List<String> serviceJvmOptions, int gpuSampleMillis) {

    static final List<String> ALL_SCENARIOS = List.of("signatures", "connections", "rates", "req", "relays");

    static final String USAGE = """
            usage: bench [--out DIR] [--work DIR (databases; default OUT/work)] [--jar JAR] [--url ws://HOST:PORT/ [--relay-pid PID]]
                         [--scenarios signatures,connections,rates,req,relays] [--seed N] [--warmup EVENTS]
                         [--signature-batches 1,10,100,1000,10000,100000] [--one-thread-max-batch N]
                         [--signature-seconds S] [--signature-repetitions N] [--cuda auto|off]
                         [--connections 25,50] [--connection-events N]
                         [--rates 250,500,1000,2000] [--rate-seconds S] [--rate-connections N] [--req-queries N]
                         [--relays 1,2,4] [--relay-events N] [--relay-connections N per relay]
                         [--worker-backend cpu|cuda|auto (or several: cuda,cpu)] [--heap 1g] [--service-jvm "JVM OPTIONS"]
                         [--gpu-sample-ms 1000]""";

    static SuiteOptions parse(String[] args, Path defaultJar) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + args[i] + "\n" + USAGE);
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Set<String> scenarios = new LinkedHashSet<>(list(flags.remove("scenarios"), String.join(",", ALL_SCENARIOS)));
        for (String scenario : scenarios) {
            if (!ALL_SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + ALL_SCENARIOS);
            }
        }
        String jar = flags.remove("jar");
        Path out = Path.of(take(flags, "out", "bench-results/suite-" + stamp));
        SuiteOptions options = new SuiteOptions(out, Path.of(take(flags, "work", out.resolve("work").toString())),
                jar != null ? Path.of(jar) : defaultJar,
                flags.remove("url"), Long.parseLong(take(flags, "relay-pid", "0")), scenarios,
                Long.parseLong(take(flags, "seed", "1")), Integer.parseInt(take(flags, "warmup", "5000")),
                ints(take(flags, "signature-batches", "1,10,100,1000,10000,100000")),
                Integer.parseInt(take(flags, "one-thread-max-batch", "10000")),
                Double.parseDouble(take(flags, "signature-seconds", "1")),
                Integer.parseInt(take(flags, "signature-repetitions", "3")),
                !"off".equals(take(flags, "cuda", "auto")),
                ints(take(flags, "connections", "25,50")), Integer.parseInt(take(flags, "connection-events", "10000")),
                ints(take(flags, "rates", "250,500,1000,2000")), Double.parseDouble(take(flags, "rate-seconds", "10")),
                Integer.parseInt(take(flags, "rate-connections", "10")),
                Integer.parseInt(take(flags, "req-queries", "500")),
                ints(take(flags, "relays", "1,2,4")), Integer.parseInt(take(flags, "relay-events", "10000")),
                Integer.parseInt(take(flags, "relay-connections", "8")),
                list(take(flags, "worker-backend", "cpu"), "cpu"), take(flags, "heap", "1g"),
                List.of(take(flags, "service-jvm", "-XX:+UseParallelGC").strip().split("\\s+")),
                Integer.parseInt(take(flags, "gpu-sample-ms", "1000")));
        if (!flags.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + flags.keySet() + "\n" + USAGE);
        }
        if (options.jar == null && (options.url == null || scenarios.contains("relays"))) {
            throw new IllegalArgumentException("the suite starts relays from the jar: run it from the jar "
                    + "(java -jar nostr-gpu-relay.jar bench ...) or pass --jar");
        }
        return options;
    }

    /** The JVM options of every relay and worker the suite starts: the heap, then {@code --service-jvm}. */
    List<String> serviceJvm() {
        List<String> jvm = new java.util.ArrayList<>();
        jvm.add("-Xmx" + heap);
        serviceJvmOptions.stream().filter(option -> !option.isEmpty()).forEach(jvm::add);
        return jvm;
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** Events the single-relay scenarios publish, warm-up included; each scenario takes fresh ones. */
    int singleRelayEvents() {
        int total = warmupEvents;
        if (runs("connections")) {
            total += connections.size() * connectionEvents;
        }
        if (runs("rates")) {
            for (int rate : rates) {
                total += (int) Math.ceil(rate * rateSeconds);
            }
        }
        return total;
    }

    /** Events of each N-relays step: its warm-up and measured ones (each step starts on empty databases). */
    int relayStepEvents() {
        return runs("relays") ? warmupEvents + relayEvents : 0;
    }

    private static String take(Map<String, String> flags, String name, String defaultValue) {
        String value = flags.remove(name);
        return value == null ? defaultValue : value;
    }

    private static List<String> list(String value, String defaultValue) {
        return Arrays.stream((value == null ? defaultValue : value).split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static List<Integer> ints(String value) {
        return list(value, "").stream().map(Integer::parseInt).toList();
    }
}
