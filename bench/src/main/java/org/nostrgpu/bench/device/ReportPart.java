package org.nostrgpu.bench.device;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The summary of one run, from the parts' JSON files in the output directory: which parts ran and how they ended,
 * then the figures the GPU issue sets targets for, side by side with their targets.
 */
final class ReportPart {

    static int run(DeviceCheckOptions options, PartResults results) {
        PartResults.Table parts = results.table("Parts of this run", "part", "exit status", "seconds", "mismatches");
        for (String part : DeviceCheckOptions.PARTS) {
            if (part.equals("report")) {
                continue;
            }
            Optional<JsonNode> json = PartJson.read(options.out(), part);
            parts.row(part, json.map(j -> j.path("status").asText("?")).orElse("no result (skipped, failed early or"
                            + " timed out)"), json.map(j -> j.path("seconds").asText()).orElse("–"),
                    json.map(j -> j.path("mismatches").asText()).orElse("–"));
        }
        parts.print();
        endToEnd(options, results);
        hybrid(options, results);
        cluster(options, results);
        return 0;
    }

    /** Kernel-only against the backend end to end and the event bus, per corpus and size. */
    private static void endToEnd(DeviceCheckOptions options, PartResults results) {
        Map<String, Double> kernel = PartJson.kernelOnly(options.out());
        Map<String, Double> backend = new LinkedHashMap<>();
        Map<String, Double> backendCallers = new LinkedHashMap<>();
        Map<String, Double> cpuThreads = new LinkedHashMap<>();
        PartJson.read(options.out(), "throughput").ifPresent(json -> json.path("rows").forEach(row -> {
            String key = ThroughputPart.key(row.path("corpus").asText(), row.path("batch").asInt());
            if (row.path("path").asText().equals("end-to-end")) {
                (row.path("callers").asInt() == 1 ? backend : backendCallers).put(key,
                        row.path("verifiesPerSecond").asDouble());
            } else if (row.path("path").asText().equals("cpu")) {
                cpuThreads.put(row.path("threads").asText(), row.path("verifiesPerSecond").asDouble());
            }
        }));
        Map<String, Double> bus = new LinkedHashMap<>();
        PartJson.read(options.out(), "eventbus").ifPresent(json -> json.path("rows").forEach(row ->
                bus.put(ThroughputPart.key(row.path("corpus").asText(), row.path("batch").asInt()),
                        row.path("verifiesPerSecond").asDouble())));
        PartResults.Table table = results.table("End to end against kernel-only (targets at 65536 and more: backend"
                        + " ≥ 0.8, event bus ≥ 0.6)", "corpus @ batch", "kernel-only /s", "backend /s", "÷ kernel",
                "backend N callers /s", "÷ kernel", "event bus /s", "÷ kernel");
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(kernel.keySet());
        keys.addAll(bus.keySet());
        for (String key : keys) {
            Double k = kernel.get(key);
            table.row(key, cell(k), cell(backend.get(key)), ratio(backend.get(key), k), cell(backendCallers.get(key)),
                    ratio(backendCallers.get(key), k), cell(bus.get(key)), ratio(bus.get(key), k));
        }
        if (!table.isEmpty()) {
            table.print();
        }
        if (!cpuThreads.isEmpty()) {
            PartResults.Table cpu = results.table("libsecp256k1 on the CPU", "threads", "verifies/s");
            cpuThreads.forEach((threads, rate) -> cpu.row(threads, PartResults.rate(rate)));
            cpu.print();
        }
    }

    private static void hybrid(DeviceCheckOptions options, PartResults results) {
        PartJson.read(options.out(), "hybrid").ifPresent(json -> {
            JsonNode workers = json.path("workers");
            PartResults.Table table = results.table("Hybrid policy (targets: single-event p50 ≤ 1.5 × CPU only; high"
                            + " load ≥ 0.95 × GPU only); crossover " + json.path("crossover").path("crossover").asText("–"),
                    "worker", "p50 µs", "p99 µs", "p50 ÷ CPU only", "high-load verifies/s", "÷ GPU only");
            double cpuP50 = workers.path("CPU only").path("p50Micros").asDouble(0);
            double gpuLoad = workers.path("GPU only").path("highLoadVerifiesPerSecond").asDouble(0);
            workers.fields().forEachRemaining(entry -> {
                JsonNode w = entry.getValue();
                double load = w.path("highLoadVerifiesPerSecond").asDouble(0);
                table.row(entry.getKey(), PartResults.f("%.1f", w.path("p50Micros").asDouble()),
                        PartResults.f("%.1f", w.path("p99Micros").asDouble()),
                        PartResults.ratio(w.path("p50Micros").asDouble(), cpuP50),
                        load > 0 ? PartResults.rate(load) : "–", load > 0 ? PartResults.ratio(load, gpuLoad) : "–");
            });
            table.print();
        });
    }

    private static void cluster(DeviceCheckOptions options, PartResults results) {
        PartJson.read(options.out(), "cluster").ifPresent(json -> {
            PartResults.Table table = results.table("Clustered event bus: " + json.path("worker").path("backend")
                    .asText("worker"), "senders", "verifies/s", "worker CPU µs/verify", "worker cores busy",
                    "senders CPU µs/verify", "mismatches");
            json.path("rounds").forEach(round -> table.row(round.path("senders").asInt(),
                    PartResults.rate(round.path("verifiesPerSecond").asDouble()),
                    PartResults.f("%.2f", round.path("workerCpuMicrosPerVerify").asDouble()),
                    PartResults.f("%.1f", round.path("workerCoresBusy").asDouble()),
                    PartResults.f("%.2f", round.path("sendersCpuMicrosPerVerify").asDouble()),
                    round.path("mismatches").asLong()));
            table.print();
        });
    }

    private static String cell(Double rate) {
        return rate == null ? "–" : PartResults.rate(rate);
    }

    private static String ratio(Double rate, Double kernel) {
        return rate == null || kernel == null ? "–" : PartResults.ratio(rate, kernel);
    }

    private ReportPart() {
    }
}
