package org.nostrgpu.common.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict NIP-01 event parsing in one streaming pass: every required field present exactly once with its exact
 * JSON type and format. Unknown top-level fields are skipped (and so dropped: {@link Event#toJson()}
 * re-serializes from the parsed fields). Strings holding an unpaired surrogate are refused, because they have
 * no UTF-8 form (see {@link Unicode}).
 *
 * <p>Reasons are lowercase and carry no {@code invalid: } prefix; the relay adds it. When several things are
 * wrong, the first one in document order is reported, then the missing fields in NIP-01 order.
 */
public final class EventParser {
    public static final String NOT_AN_OBJECT = "event must be a JSON object";
    public static final String NOT_JSON = "event is not valid JSON";
    public static final String NOT_SINGLE = "event must be a single JSON object";
    public static final String BAD_ID = "id must be 64 lowercase hex characters";
    public static final String BAD_PUBKEY = "pubkey must be 64 lowercase hex characters";
    public static final String BAD_SIG = "sig must be 128 lowercase hex characters";
    public static final String BAD_CREATED_AT = "created_at must be an integer";
    public static final String NEGATIVE_CREATED_AT = "created_at must not be negative";
    public static final String CREATED_AT_RANGE = "created_at is out of range";
    public static final String BAD_KIND = "kind must be an integer between 0 and 65535";
    public static final String BAD_TAGS = "tags must be an array of arrays of strings";
    public static final String BAD_CONTENT = "content must be a string";
    public static final String UNPAIRED_SURROGATE = "strings must be valid unicode (unpaired surrogate)";

    private static final int ID = 1;
    private static final int PUBKEY = 1 << 1;
    private static final int CREATED_AT = 1 << 2;
    private static final int KIND = 1 << 3;
    private static final int TAGS = 1 << 4;
    private static final int CONTENT = 1 << 5;
    private static final int SIG = 1 << 6;

    private EventParser() {
    }

    /** Parses JSON text that must hold exactly one event object. */
    public static Event parse(String json) throws InvalidEventException {
        try (JsonParser p = StrictJson.FACTORY.createParser(json)) {
            p.nextToken();
            Event event = parse(p);
            if (p.nextToken() != null) {
                throw new InvalidEventException(NOT_SINGLE, event.id());
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(NOT_JSON);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a String cannot fail", e);
        }
    }

    /**
     * Parses the event whose {@code START_OBJECT} is the parser's current token, and returns with the
     * matching {@code END_OBJECT} as the current token, so the caller's next {@code nextToken()} reads what
     * follows the event. When the current token is not an object, that value is skipped and
     * {@link #NOT_AN_OBJECT} thrown.
     *
     * @throws InvalidEventException well-formed JSON that is not a valid event (the whole object has been read)
     * @throws IOException           malformed JSON, reported by Jackson
     */
    public static Event parse(JsonParser p) throws InvalidEventException, IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new InvalidEventException(NOT_AN_OBJECT);
        }
        String id = null;
        String pubkey = null;
        long createdAt = 0;
        int kind = 0;
        List<List<String>> tags = null;
        String content = null;
        String sig = null;
        int seen = 0;
        String firstError = null;

        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            int field = fieldBit(name);
            if (field == 0) {
                p.skipChildren();
                continue;
            }
            try {
                if ((seen & field) != 0) {
                    throw reject(p, "duplicate field: " + name);
                }
                seen |= field;
                switch (field) {
                    case ID -> id = readHex(p, 64, BAD_ID);
                    case PUBKEY -> pubkey = readHex(p, 64, BAD_PUBKEY);
                    case SIG -> sig = readHex(p, 128, BAD_SIG);
                    case CREATED_AT -> createdAt = readCreatedAt(p);
                    case KIND -> kind = readKind(p);
                    case TAGS -> tags = readTags(p);
                    case CONTENT -> content = readContent(p);
                    default -> throw new IllegalStateException("unhandled field bit " + field);
                }
            } catch (InvalidEventException e) {
                // Keep reading: the object is consumed whole and a later id can still be reported.
                if (firstError == null) {
                    firstError = e.getMessage();
                }
            }
        }
        StrictJson.requireObjectEnd(p);
        if (firstError != null) {
            throw new InvalidEventException(firstError, id);
        }
        if (seen != (ID | PUBKEY | CREATED_AT | KIND | TAGS | CONTENT | SIG)) {
            throw new InvalidEventException("missing field: " + firstMissing(seen), id);
        }
        return new Event(id, pubkey, createdAt, kind, tags, content, sig);
    }

    private static int fieldBit(String name) {
        return switch (name) {
            case "id" -> ID;
            case "pubkey" -> PUBKEY;
            case "created_at" -> CREATED_AT;
            case "kind" -> KIND;
            case "tags" -> TAGS;
            case "content" -> CONTENT;
            case "sig" -> SIG;
            default -> 0;
        };
    }

    private static String firstMissing(int seen) {
        if ((seen & ID) == 0) {
            return "id";
        }
        if ((seen & PUBKEY) == 0) {
            return "pubkey";
        }
        if ((seen & CREATED_AT) == 0) {
            return "created_at";
        }
        if ((seen & KIND) == 0) {
            return "kind";
        }
        if ((seen & TAGS) == 0) {
            return "tags";
        }
        if ((seen & CONTENT) == 0) {
            return "content";
        }
        return "sig";
    }

    /** Skips the rest of the current value so parsing can go on, and returns the exception to throw. */
    private static InvalidEventException reject(JsonParser p, String reason) throws IOException {
        p.skipChildren();
        return new InvalidEventException(reason);
    }

    private static String readHex(JsonParser p, int length, String reason) throws IOException, InvalidEventException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw reject(p, reason);
        }
        String text = p.getText();
        if (!Hex.isLowerHex(text, length)) {
            throw new InvalidEventException(reason);
        }
        return text;
    }

    private static long readCreatedAt(JsonParser p) throws IOException, InvalidEventException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw reject(p, BAD_CREATED_AT);
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidEventException(p.getText().startsWith("-") ? NEGATIVE_CREATED_AT : CREATED_AT_RANGE);
        }
        long value = p.getLongValue();
        if (value < 0) {
            throw new InvalidEventException(NEGATIVE_CREATED_AT);
        }
        return value;
    }

    private static int readKind(JsonParser p) throws IOException, InvalidEventException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw reject(p, BAD_KIND);
        }
        int value = p.getIntValue();
        if (value < 0 || value > 65535) {
            throw new InvalidEventException(BAD_KIND);
        }
        return value;
    }

    private static String readContent(JsonParser p) throws IOException, InvalidEventException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw reject(p, BAD_CONTENT);
        }
        String text = p.getText();
        if (!Unicode.isWellFormed(text)) {
            throw new InvalidEventException(UNPAIRED_SURROGATE);
        }
        return text;
    }

    /** Reads the whole tags array even when part of it is wrong, so the parser ends after it either way. */
    private static List<List<String>> readTags(JsonParser p) throws IOException, InvalidEventException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw reject(p, BAD_TAGS);
        }
        List<List<String>> tags = new ArrayList<>();
        String problem = null;
        JsonToken token;
        while ((token = StrictJson.next(p)) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_ARRAY) {
                p.skipChildren();
                problem = problem == null ? BAD_TAGS : problem;
                continue;
            }
            List<String> tag = new ArrayList<>(4);
            JsonToken element;
            while ((element = StrictJson.next(p)) != JsonToken.END_ARRAY) {
                if (element != JsonToken.VALUE_STRING) {
                    p.skipChildren();
                    problem = problem == null ? BAD_TAGS : problem;
                    continue;
                }
                String value = p.getText();
                if (problem == null && !Unicode.isWellFormed(value)) {
                    problem = UNPAIRED_SURROGATE;
                }
                tag.add(value);
            }
            tags.add(tag);
        }
        if (problem != null) {
            throw new InvalidEventException(problem);
        }
        return tags;
    }
}
