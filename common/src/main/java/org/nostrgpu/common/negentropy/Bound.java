package org.nostrgpu.common.negentropy;

import java.util.Arrays;

/**
 * A range boundary: a timestamp and a prefix of an id (at most 32 bytes). It compares with items as the item
 * (timestamp, prefix padded with zero bytes) would; {@link #INFINITY} lies after every item.
 */
public record Bound(long timestamp, byte[] idPrefix) {
    /** The timestamp that stands for "infinity" (the protocol's 2^64 - 1; no event timestamp comes near). */
    public static final long MAX_TIMESTAMP = Long.MAX_VALUE;
    public static final Bound INFINITY = new Bound(MAX_TIMESTAMP, new byte[0]);

    public Bound {
        if (idPrefix.length > ItemSet.ID_SIZE) {
            throw new IllegalArgumentException("bound id prefix longer than " + ItemSet.ID_SIZE + " bytes");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bound bound && bound.timestamp == timestamp && Arrays.equals(bound.idPrefix, idPrefix);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp) * 31 + Arrays.hashCode(idPrefix);
    }

    @Override
    public String toString() {
        return "Bound(" + timestamp + ", " + org.nostrgpu.common.event.Hex.encode(idPrefix) + ")";
    }
}
