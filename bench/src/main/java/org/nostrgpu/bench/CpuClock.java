package org.nostrgpu.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time (user + system, all threads) of this process or of another local one, so a load tool can say how much
 * of the machine the relay and the tool itself each spent per event. The other process is read from Linux's
 * {@code /proc/PID/stat}, whose times are in USER_HZ ticks, 100 per second on every Linux the tools run on.
 */
final class CpuClock {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuClock() {
    }

    static long ownNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    static long processNanos(long pid) {
        long[] split = processUserSystemNanos(pid);
        return split[0] + split[1];
    }

    /** {user, system} CPU time of another local process, in nanoseconds. */
    static long[] processUserSystemNanos(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
        return userSystemNanos(stat);
    }

    /** {user, system} nanoseconds from a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} line. */
    static long[] userSystemNanos(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces: count fields after its closing one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long userTicks = Long.parseLong(fields[11]); // field 14 of the whole line
        long systemTicks = Long.parseLong(fields[12]); // field 15
        return new long[] {userTicks * NANOS_PER_TICK, systemTicks * NANOS_PER_TICK};
    }
}
