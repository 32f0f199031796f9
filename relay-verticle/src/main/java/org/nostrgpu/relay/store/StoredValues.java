package org.nostrgpu.relay.store;

import org.nostrgpu.common.event.Hex;

/**
 * How values are written to and compared in the database: a value of exactly 64 lowercase hex characters (an id,
 * a pubkey, most tag references) as its 32 bytes, anything else as text. The mapping is one-to-one and SQLite never
 * finds a BLOB equal to a TEXT, so equality in SQL is exactly equality of the original strings.
 */
final class StoredValues {
    static final int KEY_HEX_LENGTH = 64;

    private StoredValues() {
    }

    /** The 32 bytes of a lowercase-hex id or pubkey; null when the text is not one (it can then match nothing). */
    static byte[] key(String hex) {
        return Hex.isLowerHex(hex, KEY_HEX_LENGTH) ? Hex.decode(hex) : null;
    }

    static boolean isKey(String value) {
        return Hex.isLowerHex(value, KEY_HEX_LENGTH);
    }

    /** A tag value as stored in {@code tags.value}: byte[] for a 64-lowercase-hex value, the String otherwise. */
    static Object tagValue(String value) {
        return isKey(value) ? Hex.decode(value) : value;
    }
}
