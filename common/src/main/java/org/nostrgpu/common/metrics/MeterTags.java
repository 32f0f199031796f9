package org.nostrgpu.common.metrics;

import java.util.Locale;

/** Tag values in the form the Prometheus meters use. */
public final class MeterTags {
    private MeterTags() {
    }

    /** {@code DEVICE_ERROR} → {@code device_error}. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
