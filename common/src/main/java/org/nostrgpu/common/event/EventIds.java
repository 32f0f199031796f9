package org.nostrgpu.common.event;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** NIP-01 event ids: sha256 of the canonical serialization. */
public final class EventIds {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    });

    private EventIds() {
    }

    /** The 32-byte id computed from the event's fields (its own {@code id} field is ignored). */
    public static byte[] compute(Event event) {
        return SHA256.get().digest(CanonicalJson.idPreimage(event));
    }

    public static String computeHex(Event event) {
        return Hex.encode(compute(event));
    }

    /** True when the event's {@code id} field is the sha256 of its canonical serialization. */
    public static boolean hasValidId(Event event) {
        return computeHex(event).equals(event.id());
    }
}
