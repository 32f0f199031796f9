package org.nostrgpu.app;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a command's CPU time went: this JVM's live threads grouped by name (pool names without their numbers),
 * and the rest of the process's time (garbage collection, JIT compilation, threads that already ended).
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /** One line per group with at least 1 % of the process's CPU time, largest first, per {@code events}. */
    static String report(long events) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new TreeMap<>();
        long threadsTotal = 0;
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            var info = threads.getThreadInfo(id);
            if (nanos <= 0 || info == null) {
                continue;
            }
            byGroup.merge(group(info.getThreadName()), nanos, Long::sum);
            threadsTotal += nanos;
        }
        long process = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(threadsTotal);
        byGroup.put("(GC, JIT, ended threads)", Math.max(0, process - threadsTotal));
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "CPU time of this process: %.2f s, %.1f µs per event", process / 1e9, process / 1e3 / Math.max(1, events)));
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(entry -> entry.getValue() * 100 >= process)
                .forEach(entry -> text.append(String.format(Locale.ROOT, "%n  %-34s %7.2f s %6.1f µs/event %5.1f %%",
                        entry.getKey(), entry.getValue() / 1e9, entry.getValue() / 1e3 / Math.max(1, events),
                        100.0 * entry.getValue() / Math.max(1, process))));
        return text.toString();
    }

    /** "vert.x-worker-thread-3" and "cpu-verifier-1-2" count as "vert.x-worker-thread-*" and "cpu-verifier-*". */
    private static String group(String name) {
        String stripped = name.replaceAll("[-_ ]?\\d+([-_]\\d+)*$", "");
        stripped = stripped.replaceAll("-\\d+-", "-*-");
        return stripped.equals(name) ? name : stripped + "-*";
    }
}
