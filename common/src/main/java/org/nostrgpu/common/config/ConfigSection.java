package org.nostrgpu.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One mapping of the YAML file, read strictly: each typed getter falls back to the default when the key is
 * absent, refuses values of the wrong type or range with the key's full path, and remembers the key so that
 * {@link #rejectUnknownKeys()} can name any key nobody asked for.
 */
final class ConfigSection {
    static final String AUTO = "auto";

    private final String source;
    private final String path;
    private final JsonNode node;
    private final Set<String> asked;

    /** @param node an object node, or null for an absent section */
    ConfigSection(String source, String path, JsonNode node, Set<String> asked) {
        this.source = source;
        this.path = path;
        this.node = node;
        this.asked = asked;
    }

    ConfigSection section(String key) {
        JsonNode value = value(key);
        if (value != null && !value.isObject()) {
            throw error(key, "must be a mapping of keys, got " + describe(value));
        }
        return new ConfigSection(source, qualified(key), value, asked);
    }

    String text(String key, String fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw error(key, "must be text (put it in quotes), got " + describe(value));
        }
        return value.textValue();
    }

    boolean flag(String key, boolean fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw error(key, "must be true or false, got " + describe(value));
        }
        return value.booleanValue();
    }

    String nonBlankText(String key, String fallback) {
        String text = text(key, fallback);
        if (text.isBlank()) {
            throw error(key, "must not be empty");
        }
        return text;
    }

    /** A list of texts, or {@code fallback} when the key is absent. */
    List<String> textList(String key, List<String> fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isArray()) {
            throw error(key, "must be a list, e.g. [\"a\", \"b\"], got " + describe(value));
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw error(key, "must be a list of texts (in quotes), got " + describe(element));
            }
            texts.add(element.textValue());
        }
        return texts;
    }

    /** A list of whole numbers in a range, or {@code fallback} when the key is absent. */
    List<Long> wholeList(String key, List<Long> fallback, long min, long max) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isArray()) {
            throw error(key, "must be a list, e.g. [1, 7], got " + describe(value));
        }
        List<Long> numbers = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < min
                    || element.longValue() > max) {
                throw error(key, "must be a list of whole numbers " + range(min, max) + ", got " + describe(element));
            }
            numbers.add(element.longValue());
        }
        return numbers;
    }

    long whole(String key, long fallback, long min, long max) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error(key, "must be a whole number " + range(min, max) + ", got " + describe(value));
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw error(key, "must be " + range(min, max) + ", got " + number);
        }
        return number;
    }

    private static String range(long min, long max) {
        return max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? min + " or more" : "from " + min + " to " + max;
    }

    int wholeInt(String key, int fallback, int min, int max) {
        return (int) whole(key, fallback, min, max);
    }

    /** A positive whole number, or {@code auto} for the value this machine suggests. */
    int wholeIntOrAuto(String key, int auto, int max) {
        JsonNode value = value(key);
        if (value != null && value.isTextual()) {
            if (!value.textValue().equals(AUTO)) {
                throw error(key, "must be a whole number from 1 to " + max + " or \"auto\", got " + describe(value));
            }
            return auto;
        }
        return wholeInt(key, auto, 1, max);
    }

    /** Fails naming every key in this mapping that no getter asked for. */
    void rejectUnknownKeys() {
        if (node == null) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(key -> {
            if (!asked.contains(qualified(key))) {
                unknown.add(qualified(key));
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException(source + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (known keys" + (path.isEmpty() ? "" : " in " + path) + ": "
                    + String.join(", ", knownHere()) + ")");
        }
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(source + ": " + qualified(key) + " " + problem);
    }

    private JsonNode value(String key) {
        asked.add(qualified(key));
        JsonNode value = node == null ? null : node.get(key);
        if (value != null && value.isNull()) {
            throw error(key, "has no value; give one or remove the key to use the default");
        }
        return value;
    }

    private List<String> knownHere() {
        String prefix = path.isEmpty() ? "" : path + ".";
        Set<String> keys = new LinkedHashSet<>();
        for (String known : asked) {
            if (known.startsWith(prefix)) {
                String rest = known.substring(prefix.length());
                keys.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
            }
        }
        return List.copyOf(keys);
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonNode value) {
        if (value.getNodeType() == JsonNodeType.OBJECT) {
            return "a mapping";
        }
        if (value.getNodeType() == JsonNodeType.ARRAY) {
            return "a list";
        }
        return value.isTextual() ? "\"" + value.textValue() + "\"" : value.asText();
    }
}
