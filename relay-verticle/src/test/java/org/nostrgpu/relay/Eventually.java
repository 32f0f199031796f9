package org.nostrgpu.relay;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Waiting in tests for something another thread brings about, with a generous bound instead of a sleep. */
public final class Eventually {
    public static final long DEFAULT_BOUND_MS = 10_000;

    private Eventually() {
    }

    /** Polls {@code condition} until it holds, failing the test with {@code what} after the default bound. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + DEFAULT_BOUND_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                assertTrue(condition.getAsBoolean(), "not within " + DEFAULT_BOUND_MS + " ms: " + what);
                return;
            }
            Thread.sleep(5);
        }
    }
}
