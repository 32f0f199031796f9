package org.nostrgpu.bench.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process as the kernel counts it in {@code /proc/PID/stat} (user + system, every thread), for
 * "CPU per unit of work" figures of a process and of others (a worker, its senders) measured side by side.
 */
public final class ProcessCpu {
    /** Clock ticks per second of /proc's times: {@code getconf CLK_TCK}, 100 on Linux unless told otherwise. */
    private static final long TICKS_PER_SECOND = Long.getLong("nostrgpu.clk.tck", 100);

    /** CPU nanoseconds used so far by process {@code pid}; -1 when it cannot be read (no /proc, process gone). */
    public static long nanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name in parentheses may contain spaces: fields are counted after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This process's CPU nanoseconds so far. */
    public static long self() {
        return nanos(ProcessHandle.current().pid());
    }

    private ProcessCpu() {
    }
}
