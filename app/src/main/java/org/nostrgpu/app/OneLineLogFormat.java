package org.nostrgpu.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** java.util.logging, one line per record: {@code 2026-01-01 12:00:00.000 INFO RelayNode: message}. */
final class OneLineLogFormat extends Formatter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** Puts this format on the root logger's handlers (the console handler by default). */
    static void install() {
        OneLineLogFormat format = new OneLineLogFormat();
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.setFormatter(format);
        }
    }

    /**
     * Writes one line straight to stderr in this format. For the shutdown hook: the JDK closes the logging
     * handlers from its own shutdown hook, which runs concurrently, so records logged there can vanish.
     */
    static void printDirect(System.Logger.Level level, String loggerName, String message) {
        LogRecord record = new LogRecord(julLevel(level), message);
        record.setLoggerName(loggerName);
        System.err.print(new OneLineLogFormat().format(record));
        System.err.flush();
    }

    /** The java.util.logging level that {@link System.Logger} maps {@code level} to. */
    static Level julLevel(System.Logger.Level level) {
        return switch (level) {
            case ALL -> Level.ALL;
            case TRACE -> Level.FINER;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case OFF -> Level.OFF;
        };
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        line.append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
                .append(record.getLevel().getName()).append(' ')
                .append(shortName(record.getLoggerName())).append(": ")
                .append(formatMessage(record)).append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    private static String shortName(String loggerName) {
        if (loggerName == null) {
            return "root";
        }
        int dot = loggerName.lastIndexOf('.');
        return dot < 0 ? loggerName : loggerName.substring(dot + 1);
    }
}
