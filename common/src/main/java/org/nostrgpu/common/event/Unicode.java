package org.nostrgpu.common.event;

/**
 * Java strings are UTF-16 and may hold unpaired surrogates (JSON's {@code \ud800} escape decodes to one).
 * Such a string has no UTF-8 form: the canonical serialization could not reproduce what the client hashed,
 * and storing it would corrupt the text column. Parsers refuse such strings instead.
 */
public final class Unicode {
    private Unicode() {
    }

    /** Same meaning as JavaScript's {@code String.prototype.isWellFormed}: no unpaired surrogate. */
    public static boolean isWellFormed(String text) {
        int len = text.length();
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }
}
