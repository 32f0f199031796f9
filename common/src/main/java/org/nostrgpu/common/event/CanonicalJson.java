package org.nostrgpu.common.event;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NIP-01 serialization. Strings escape only {@code "}, backslash, newline, carriage return, tab,
 * backspace and form feed; the other control characters U+0000..U+001F become lowercase backslash-u-00xx
 * (what JavaScript's JSON.stringify writes); everything else, '/' and U+2028 included, is written raw.
 */
public final class CanonicalJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /** {@code [0,pubkey,created_at,kind,tags,content]} as UTF-8: the bytes whose sha256 is the event id. */
    public static byte[] idPreimage(Event event) {
        StringBuilder out = new StringBuilder(128 + event.content().length());
        out.append("[0,\"").append(event.pubkey()).append("\",").append(event.createdAt())
                .append(',').append(event.kind()).append(',');
        appendTags(out, event.tags());
        out.append(',');
        appendString(out, event.content());
        out.append(']');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The event as a JSON object with the fields in NIP-01 order and no whitespace. */
    public static String eventObject(Event event) {
        StringBuilder out = new StringBuilder(320 + event.content().length());
        out.append("{\"id\":\"").append(event.id())
                .append("\",\"pubkey\":\"").append(event.pubkey())
                .append("\",\"created_at\":").append(event.createdAt())
                .append(",\"kind\":").append(event.kind())
                .append(",\"tags\":");
        appendTags(out, event.tags());
        out.append(",\"content\":");
        appendString(out, event.content());
        out.append(",\"sig\":\"").append(event.sig()).append("\"}");
        return out.toString();
    }

    public static void appendTags(StringBuilder out, List<List<String>> tags) {
        out.append('[');
        for (int t = 0; t < tags.size(); t++) {
            if (t > 0) {
                out.append(',');
            }
            List<String> tag = tags.get(t);
            out.append('[');
            for (int v = 0; v < tag.size(); v++) {
                if (v > 0) {
                    out.append(',');
                }
                appendString(out, tag.get(v));
            }
            out.append(']');
        }
        out.append(']');
    }

    /** Appends a quoted JSON string with NIP-01 escaping. */
    public static void appendString(StringBuilder out, String value) {
        out.append('"');
        int len = value.length();
        for (int i = 0; i < len; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
