package org.nostrgpu.common.cluster;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How much Hazelcast logs. Hazelcast writes to java.util.logging ({@code hazelcast.logging.type=jdk}), the
 * application's logging backend, so its levels are set there; the application itself logs through
 * {@link System.Logger}.
 */
final class HazelcastLogging {
    /** Kept referenced: java.util.logging forgets levels set on loggers nobody holds. */
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    /** Warns at every start that CP structures run unsafe; this application uses none (no cluster locks). */
    private static final Logger HAZELCAST_CP = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

    private HazelcastLogging() {
    }

    /** Hazelcast logs every step of joining at INFO; keep warnings unless the operator configured the logger. */
    static void quiet() {
        if (HAZELCAST.getLevel() == null) {
            HAZELCAST.setLevel(Level.WARNING);
        }
        if (HAZELCAST_CP.getLevel() == null) {
            HAZELCAST_CP.setLevel(Level.SEVERE);
        }
    }
}
