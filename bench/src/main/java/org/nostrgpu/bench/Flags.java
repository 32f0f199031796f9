package org.nostrgpu.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of the load tools' command lines. */
final class Flags {
    private Flags() {
    }

    static Map<String, String> parse(String[] args, int from) {
        Map<String, String> flags = new HashMap<>();
        for (int i = from; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + args[i]);
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        return flags;
    }

    static int intOf(Map<String, String> flags, String name, int defaultValue) {
        String value = flags.get(name);
        return value == null ? defaultValue : Integer.parseInt(value);
    }
}
