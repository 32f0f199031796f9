package org.nostrgpu.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RegisteredMetersTest {
    private enum Status { OK, DEVICE_ERROR }

    @Test
    void closeRemovesOnlyTheKeptMetersAndAFreshOneStartsAtZero() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Counter other = Counter.builder("other").register(registry);
        RegisteredMeters meters = new RegisteredMeters(registry);
        Counter kept = Counter.builder("kept").register(registry);
        assertSame(kept, meters.keep(kept));
        kept.increment(3);

        meters.close();

        assertNull(registry.find("kept").counter());
        assertNotNull(registry.find("other").counter());
        assertSame(other, registry.find("other").counter());
        assertEquals(0, Counter.builder("kept").register(registry).count());
    }

    @Test
    void enumTagValuesAreLowerCase() {
        assertEquals("ok", MeterTags.of(Status.OK));
        assertEquals("device_error", MeterTags.of(Status.DEVICE_ERROR));
    }
}
