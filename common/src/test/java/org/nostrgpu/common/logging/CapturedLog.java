package org.nostrgpu.common.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The records one java.util.logging logger and its children receive while a test runs. java.util.logging is the
 * backend the product's {@link System.Logger} calls (and Hazelcast's and Micrometer's logging) end in, so this sees
 * what an operator would read. Close it to detach.
 */
public final class CapturedLog extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final SimpleFormatter format = new SimpleFormatter();

    private CapturedLog(Logger logger, Level level) {
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Captures what reaches {@code loggerName} at its configured levels. */
    public static CapturedLog of(String loggerName) {
        return new CapturedLog(Logger.getLogger(loggerName), null);
    }

    /** Captures what reaches {@code loggerName}, with the logger set to {@code level} until closed. */
    public static CapturedLog of(String loggerName, Level level) {
        return new CapturedLog(Logger.getLogger(loggerName), level);
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The records' messages with their parameters filled in. */
    public List<String> messages() {
        return records.stream().map(format::formatMessage).toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}
