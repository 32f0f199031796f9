package org.nostrgpu.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * CPU time of another local process split by what its threads do, read from Linux's {@code /proc/PID/task/TID}:
 * a benchmark that reports "relay CPU per event" can then say how much of it was the JIT compiler still warming up
 * (a cost a long-running relay no longer pays), garbage collection, the event loops, the store's writer and so on.
 * Threads are grouped by the name the relay gives them ({@code comm}, which Linux cuts at 15 characters).
 * A thread that ended between two snapshots is missing from the later one; its time is then not counted, which
 * is why {@link CpuClock#processNanos} (which includes ended threads) stays the headline figure.
 */
final class ThreadCpu {
    /** Thread-name prefixes and the group each belongs to, first match wins; the rest is "other". */
    private static final List<Map.Entry<String, String>> GROUPS = List.of(
            Map.entry("C1 CompilerThre", "JIT"),
            Map.entry("C2 CompilerThre", "JIT"),
            Map.entry("GC Thread", "GC"),
            Map.entry("G1 ", "GC"),
            Map.entry("VM Thread", "GC"),
            Map.entry("vert.x-eventloo", "event loops"),
            Map.entry("sqlite-writer", "store writer"),
            Map.entry("sqlite-reader", "store readers"),
            Map.entry("sqlite-id-looku", "store readers"),
            Map.entry("cpu-verifier", "verification"),
            Map.entry("nostr-verify-", "verification hand-over"),
            Map.entry("live-fan-out", "live fan-out"),
            Map.entry("hz.", "Hazelcast"),
            Map.entry("vert.x-worker-t", "Vert.x workers"),
            Map.entry("vert.x-internal", "Vert.x workers"));

    private static final List<String> ORDER = List.of("JIT", "GC", "event loops", "live fan-out", "verification",
            "verification hand-over", "store writer", "store readers", "Hazelcast", "Vert.x workers", "other");

    private ThreadCpu() {
    }

    /** CPU nanoseconds per group of the threads alive now; empty when the process cannot be read. */
    static Map<String, Long> snapshot(long pid) {
        Map<String, Long> byGroup = new LinkedHashMap<>();
        if (pid <= 0) {
            return byGroup;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    long[] userSystem = CpuClock.userSystemNanos(Files.readString(task.resolve("stat")));
                    byGroup.merge(groupOf(name), userSystem[0] + userSystem[1], Long::sum);
                } catch (NoSuchFileException ended) {
                    // the thread ended while being read
                }
            }
        } catch (IOException unreadable) {
            byGroup.clear();
        }
        return byGroup;
    }

    /**
     * "JIT 12.0 + GC 1.0 + event loops 30.5 + ... us": the CPU each group spent between two snapshots, per unit
     * of work; empty when either snapshot is empty.
     */
    static String perUnit(Map<String, Long> before, Map<String, Long> after, long units, String unit) {
        if (before.isEmpty() || after.isEmpty() || units <= 0) {
            return "";
        }
        StringJoiner parts = new StringJoiner(" + ", "relay CPU per " + unit + " by thread: ", " us");
        for (String group : ORDER) {
            long spent = after.getOrDefault(group, 0L) - before.getOrDefault(group, 0L);
            if (spent > 0) {
                parts.add(String.format("%s %.1f", group, spent / 1e3 / units));
            }
        }
        long jit = after.getOrDefault("JIT", 0L) - before.getOrDefault("JIT", 0L);
        long all = after.values().stream().mapToLong(Long::longValue).sum()
                - before.values().stream().mapToLong(Long::longValue).sum();
        return parts + String.format("; without the JIT compiler %.1f us", (all - jit) / 1e3 / units);
    }

    static String groupOf(String threadName) {
        for (Map.Entry<String, String> prefix : GROUPS) {
            if (threadName.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return "other";
    }
}
