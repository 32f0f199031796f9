package org.nostrgpu.common.filter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.event.StrictJson;
import org.nostrgpu.common.event.Unicode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Strict parsing of a NIP-01 filter object; failures carry the reason sent after {@code invalid: }.
 *
 * <ul>
 *   <li>{@code ids}, {@code authors}, {@code #e} and {@code #p} take exact 64-character lowercase hex
 *       (prefix matching left NIP-01 in 2023).</li>
 *   <li>{@code kinds}: integers 0..65535; {@code since}, {@code until}: non-negative integers;
 *       {@code limit}: a non-negative integer, 0 meaning "no stored events" and values above
 *       {@link Integer#MAX_VALUE} read as that (the relay caps it lower anyway).</li>
 *   <li>Tag filters: {@code #} and exactly one ASCII letter, an array of strings.</li>
 *   <li>Empty arrays are legal and match nothing. Duplicate keys are refused.</li>
 *   <li>Any other key (for example NIP-50's {@code search}) is refused as an unsupported field rather than
 *       ignored: ignoring it would answer with events the client did not ask for.</li>
 * </ul>
 */
public final class FilterParser {
    public static final String NOT_AN_OBJECT = "filter must be a JSON object";
    public static final String NOT_JSON = "filter is not valid JSON";
    public static final String NOT_SINGLE = "filter must be a single JSON object";
    public static final String BAD_KINDS = "kinds must be an array of integers between 0 and 65535";
    public static final String BAD_LIMIT = "limit must be a non-negative integer";

    private static final int MAX_NAME_SHOWN = 64;

    private FilterParser() {
    }

    /** Parses JSON text that must hold exactly one filter object. */
    public static Filter parse(String json) throws InvalidFilterException {
        try (JsonParser p = StrictJson.FACTORY.createParser(json)) {
            p.nextToken();
            Filter filter = parse(p);
            if (p.nextToken() != null) {
                throw new InvalidFilterException(NOT_SINGLE);
            }
            return filter;
        } catch (JsonProcessingException e) {
            throw new InvalidFilterException(NOT_JSON);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a String cannot fail", e);
        }
    }

    /**
     * Parses the filter whose {@code START_OBJECT} is the parser's current token. Returns, or throws
     * {@link InvalidFilterException}, with the whole value read: the current token is then its last token
     * ({@code END_OBJECT} for an object), so the caller's next {@code nextToken()} reads what follows.
     *
     * @throws IOException malformed JSON, reported by Jackson
     */
    public static Filter parse(JsonParser p) throws InvalidFilterException, IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new InvalidFilterException(NOT_AN_OBJECT);
        }
        try {
            return readFields(p);
        } catch (InvalidFilterException e) {
            while (p.nextFieldName() != null) {
                p.nextToken();
                p.skipChildren();
            }
            StrictJson.requireObjectEnd(p);
            throw e;
        }
    }

    private static Filter readFields(JsonParser p) throws InvalidFilterException, IOException {
        Set<String> ids = null;
        Set<String> authors = null;
        Set<Integer> kinds = null;
        Map<Character, Set<String>> tagValues = null;
        Long since = null;
        Long until = null;
        Integer limit = null;

        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "ids" -> ids = readHexSet(p, name, ids);
                case "authors" -> authors = readHexSet(p, name, authors);
                case "kinds" -> kinds = readKinds(p, kinds);
                case "since" -> since = readTimestamp(p, name, since);
                case "until" -> until = readTimestamp(p, name, until);
                case "limit" -> limit = readLimit(p, limit);
                default -> {
                    char letter = tagLetter(p, name);
                    if (tagValues == null) {
                        tagValues = new HashMap<>(4);
                    }
                    if (tagValues.containsKey(letter)) {
                        throw reject(p, "duplicate field: " + name);
                    }
                    tagValues.put(letter, letter == 'e' || letter == 'p'
                            ? readHexSet(p, name, null)
                            : readStringSet(p, name));
                }
            }
        }
        StrictJson.requireObjectEnd(p);
        return new Filter(ids, authors, kinds, tagValues, since, until, limit);
    }

    /** The letter of a {@code #x} key; any other unknown key is refused. */
    private static char tagLetter(JsonParser p, String name) throws InvalidFilterException, IOException {
        if (name.length() == 2 && name.charAt(0) == '#') {
            char letter = name.charAt(1);
            if ((letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z')) {
                return letter;
            }
        }
        throw reject(p, unsupported(name));
    }

    private static String unsupported(String name) {
        String shown = name.length() > MAX_NAME_SHOWN ? name.substring(0, MAX_NAME_SHOWN) + "..." : name;
        return Unicode.isWellFormed(shown) ? "unsupported filter field: " + shown : "unsupported filter field";
    }

    private static Set<String> readHexSet(JsonParser p, String field, Set<String> previous)
            throws InvalidFilterException, IOException {
        if (previous != null) {
            throw reject(p, "duplicate field: " + field);
        }
        return readStrings(p, field,
                value -> Hex.isLowerHex(value, 64) ? null : field + " must be 64-character lowercase hex");
    }

    private static Set<String> readStringSet(JsonParser p, String field) throws InvalidFilterException, IOException {
        return readStrings(p, field, value -> Unicode.isWellFormed(value) ? null : EventParser.UNPAIRED_SURROGATE);
    }

    /** An array of strings, each checked by {@code problem} (the rejection reason, or null when acceptable). */
    private static Set<String> readStrings(JsonParser p, String field, UnaryOperator<String> problem)
            throws InvalidFilterException, IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw reject(p, field + " must be an array of strings");
        }
        Set<String> values = new HashSet<>();
        JsonToken token;
        while ((token = StrictJson.next(p)) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw rejectInArray(p, field + " must be an array of strings");
            }
            String value = p.getText();
            String reason = problem.apply(value);
            if (reason != null) {
                throw rejectInArray(p, reason);
            }
            values.add(value);
        }
        return values;
    }

    private static Set<Integer> readKinds(JsonParser p, Set<Integer> previous) throws InvalidFilterException, IOException {
        if (previous != null) {
            throw reject(p, "duplicate field: kinds");
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw reject(p, BAD_KINDS);
        }
        Set<Integer> kinds = new HashSet<>();
        JsonToken token;
        while ((token = StrictJson.next(p)) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                throw rejectInArray(p, BAD_KINDS);
            }
            int kind = p.getIntValue();
            if (kind < 0 || kind > 65535) {
                throw rejectInArray(p, BAD_KINDS);
            }
            kinds.add(kind);
        }
        return kinds;
    }

    private static Long readTimestamp(JsonParser p, String field, Long previous)
            throws InvalidFilterException, IOException {
        if (previous != null) {
            throw reject(p, "duplicate field: " + field);
        }
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getText().startsWith("-")) {
            throw reject(p, field + " must be a non-negative integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw reject(p, field + " is out of range");
        }
        return p.getLongValue();
    }

    private static Integer readLimit(JsonParser p, Integer previous) throws InvalidFilterException, IOException {
        if (previous != null) {
            throw reject(p, "duplicate field: limit");
        }
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getText().startsWith("-")) {
            throw reject(p, BAD_LIMIT);
        }
        return p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : Integer.MAX_VALUE;
    }

    /** Skips the current value (a no-op for scalars) and returns the exception to throw. */
    private static InvalidFilterException reject(JsonParser p, String reason) throws IOException {
        p.skipChildren();
        return new InvalidFilterException(reason);
    }

    /** Skips the offending element and the rest of the array it is in, and returns the exception to throw. */
    private static InvalidFilterException rejectInArray(JsonParser p, String reason) throws IOException {
        p.skipChildren();
        while (StrictJson.next(p) != JsonToken.END_ARRAY) {
            p.skipChildren();
        }
        return new InvalidFilterException(reason);
    }
}
