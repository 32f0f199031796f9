package org.nostrgpu.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The meters one component registered, removed from the registry together by {@link #close()}: a component
 * redeployed or restarted in the same process then registers fresh meters instead of reusing stale ones.
 */
public final class RegisteredMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    public RegisteredMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Remembers {@code meter} (already registered) for {@link #close()} and returns it. */
    public <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
