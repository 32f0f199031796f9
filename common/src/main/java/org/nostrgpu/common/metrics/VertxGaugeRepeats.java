package org.nostrgpu.common.metrics;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps Micrometer's "This Gauge has been already registered" message out of the log for the gauges that
 * vertx-micrometer-metrics registers again on purpose: {@code vertx.eventbus.pending} on every message received,
 * {@code vertx.eventbus.handlers} for every address a consumer is registered on (the address label is off, so every
 * address shares one gauge; a relay consumes the stats address beside the verification one) and
 * {@code vertx.sql.processing.pending} for every new SQL connection. Each time it gets back the same gauge and adds
 * to the one counter behind it, so the values are right and the message is noise; Micrometer logs it for the first
 * repeat in the process and at debug level afterwards.
 *
 * <p>Any other gauge registered twice is still reported: that is a real mistake (two things under one name, of
 * which only the first is measured). Micrometer logs through java.util.logging here (it uses SLF4J only when an SLF4J
 * binding is present, and the application has none), so this is a filter on its JUL logger.
 */
final class VertxGaugeRepeats implements Filter {
    static final List<String> REREGISTERED_BY_VERTX = List.of("vertx.eventbus.pending", "vertx.eventbus.handlers",
            "vertx.sql.processing.pending");

    /** Held: java.util.logging forgets the filter of a logger nobody references. */
    private static final Logger MICROMETER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

    private VertxGaugeRepeats() {
    }

    /** Installs the filter on Micrometer's registry logger; idempotent. */
    static synchronized void install() {
        if (!(MICROMETER_REGISTRY.getFilter() instanceof VertxGaugeRepeats)) {
            MICROMETER_REGISTRY.setFilter(new VertxGaugeRepeats());
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.contains("already registered")) {
            return true;
        }
        return REREGISTERED_BY_VERTX.stream().noneMatch(name -> message.contains("name='" + name + "'"));
    }
}
