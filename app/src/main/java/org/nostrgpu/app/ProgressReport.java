package org.nostrgpu.app;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on standard error: on a terminal a bar redrawn in place (events, events/s, share of
 * the input read and ETA when its size is known); otherwise, as in logs and CI, a plain line every
 * {@link #PLAIN_INTERVAL_S} seconds.
 */
final class ProgressReport implements AutoCloseable {
    static final int PLAIN_INTERVAL_S = 10;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String what;
    private final LongSupplier events;
    private final LongSupplier bytesRead;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    /**
     * @param events     events handled so far
     * @param bytesRead  input bytes read so far
     * @param totalBytes input size, or -1 when unknown (standard input): no percentage or ETA then
     */
    ProgressReport(PrintStream out, boolean terminal, String what, LongSupplier events, LongSupplier bytesRead,
                   long totalBytes) {
        this.out = out;
        this.terminal = terminal;
        this.what = what;
        this.events = events;
        this.bytesRead = bytesRead;
        this.totalBytes = totalBytes;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, what + "-progress");
            thread.setDaemon(true);
            return thread;
        });
        long periodMs = terminal ? 500 : PLAIN_INTERVAL_S * 1000L;
        timer.scheduleAtFixedRate(this::print, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Whether standard error probably shows on a terminal (the JVM has a console). */
    static boolean onTerminal() {
        return System.console() != null;
    }

    private void print() {
        String line = line();
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    String line() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long done = events.getAsLong();
        long rate = Math.round(done / seconds);
        StringBuilder line = new StringBuilder();
        if (totalBytes > 0) {
            double share = Math.min(1.0, (double) bytesRead.getAsLong() / totalBytes);
            if (terminal) {
                int filled = (int) Math.round(share * BAR_WIDTH);
                line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            }
            line.append(String.format(Locale.ROOT, "%3.0f%% ", share * 100));
            line.append(what).append(": ").append(done).append(" events, ").append(rate).append(" events/s");
            if (share > 0) {
                long etaSeconds = Math.round(seconds * (1 - share) / share);
                line.append(String.format(Locale.ROOT, ", ETA %d:%02d", etaSeconds / 60, etaSeconds % 60));
            }
        } else {
            line.append(what).append(": ").append(done).append(" events, ").append(rate).append(" events/s");
        }
        return line.toString();
    }

    /** Stops the updates; a terminal bar ends its line. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (terminal) {
            print();
            out.println();
        }
    }
}
