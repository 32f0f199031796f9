package org.nostrgpu.common.event;

/** How NIP-01 says a relay keeps events of a kind. */
public enum KindClass {
    /** Stored; every event kept. */
    REGULAR,
    /** 0, 3, 10000..19999: only the newest per (kind, pubkey) is kept. */
    REPLACEABLE,
    /** 20000..29999: fanned out, never stored. */
    EPHEMERAL,
    /** 30000..39999: only the newest per (kind, pubkey, d tag) is kept. */
    ADDRESSABLE;

    public static KindClass of(int kind) {
        if (kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000)) {
            return REPLACEABLE;
        }
        if (kind >= 20000 && kind < 30000) {
            return EPHEMERAL;
        }
        if (kind >= 30000 && kind < 40000) {
            return ADDRESSABLE;
        }
        return REGULAR;
    }
}
