package org.nostrgpu.common.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventParserTest {
    private static final List<String> FIELDS = List.of("id", "pubkey", "created_at", "kind", "tags", "content", "sig");

    private static final Event SIGNED = EventSigner.random()
            .sign(1_700_000_000L, 1, List.of(List.of("e", "a".repeat(64)), List.of("t", "nostr")), "hello");

    /** The signed event's fields as raw JSON values, in NIP-01 order, for tests to alter one at a time. */
    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", quoted(SIGNED.id()));
        fields.put("pubkey", quoted(SIGNED.pubkey()));
        fields.put("created_at", Long.toString(SIGNED.createdAt()));
        fields.put("kind", Integer.toString(SIGNED.kind()));
        fields.put("tags", "[[\"e\",\"" + "a".repeat(64) + "\"],[\"t\",\"nostr\"]]");
        fields.put("content", "\"hello\"");
        fields.put("sig", quoted(SIGNED.sig()));
        return fields;
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> quoted(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String with(String field, String rawValue) {
        Map<String, String> fields = fields();
        fields.put(field, rawValue);
        return object(fields);
    }

    private static String reason(String json) {
        return assertThrows(InvalidEventException.class, () -> EventParser.parse(json)).getMessage();
    }

    @Test
    void parsesAValidEventToTheSameValues() throws Exception {
        Event parsed = EventParser.parse(SIGNED.toJson());
        assertEquals(SIGNED, parsed);
        assertEquals(SIGNED, EventParser.parse(object(fields())));
    }

    @Test
    void fieldOrderWhitespaceAndUnknownFieldsDoNotMatter() throws Exception {
        String json = " {\n \"sig\" : " + quoted(SIGNED.sig()) + ", \"extra\": {\"nested\": [1, {\"id\": 5}]},"
                + "\"content\":\"hello\",\"kind\":1,\"tags\":[[\"e\",\"" + "a".repeat(64) + "\"],[\"t\",\"nostr\"]],"
                + "\"created_at\":1700000000,\"seen_on\":null,\"pubkey\":" + quoted(SIGNED.pubkey())
                + ",\"id\":" + quoted(SIGNED.id()) + "}\n";
        Event parsed = EventParser.parse(json);
        assertEquals(SIGNED, parsed);
        assertFalse(parsed.toJson().contains("extra"));
        assertFalse(parsed.toJson().contains("seen_on"));
    }

    @Test
    void eachMissingFieldIsNamed() {
        for (String field : FIELDS) {
            Map<String, String> fields = fields();
            fields.remove(field);
            assertEquals("missing field: " + field, reason(object(fields)));
        }
    }

    @Test
    void eachDuplicateFieldIsRefused() {
        for (String field : FIELDS) {
            String json = object(fields());
            String duplicated = json.substring(0, json.length() - 1) + "," + quoted(field) + ":" + fields().get(field) + "}";
            assertEquals("duplicate field: " + field, reason(duplicated));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"ABCDEF\"", "5", "null", "true", "[]", "{}"})
    void idMustBe64LowercaseHex(String badValue) {
        assertEquals(EventParser.BAD_ID, reason(with("id", badValue)));
    }

    @Test
    void idHexFormatProblems() {
        assertEquals(EventParser.BAD_ID, reason(with("id", quoted(SIGNED.id().toUpperCase()))));
        assertEquals(EventParser.BAD_ID, reason(with("id", quoted(SIGNED.id().substring(1)))));
        assertEquals(EventParser.BAD_ID, reason(with("id", quoted(SIGNED.id() + "0"))));
        assertEquals(EventParser.BAD_ID, reason(with("id", quoted("g" + SIGNED.id().substring(1)))));
        assertEquals(EventParser.BAD_ID, reason(with("id", quoted(" " + SIGNED.id().substring(1)))));
    }

    @Test
    void pubkeyMustBe64LowercaseHex() {
        assertEquals(EventParser.BAD_PUBKEY, reason(with("pubkey", quoted(SIGNED.pubkey().toUpperCase()))));
        assertEquals(EventParser.BAD_PUBKEY, reason(with("pubkey", quoted(SIGNED.pubkey().substring(2)))));
        assertEquals(EventParser.BAD_PUBKEY, reason(with("pubkey", quoted("02" + SIGNED.pubkey()))));
        assertEquals(EventParser.BAD_PUBKEY, reason(with("pubkey", "123")));
        assertEquals(EventParser.BAD_PUBKEY, reason(with("pubkey", "null")));
    }

    @Test
    void sigMustBe128LowercaseHex() {
        assertEquals(EventParser.BAD_SIG, reason(with("sig", quoted(SIGNED.sig().toUpperCase()))));
        assertEquals(EventParser.BAD_SIG, reason(with("sig", quoted(SIGNED.sig().substring(1)))));
        assertEquals(EventParser.BAD_SIG, reason(with("sig", quoted(SIGNED.sig() + "00"))));
        assertEquals(EventParser.BAD_SIG, reason(with("sig", quoted(SIGNED.id()))));
        assertEquals(EventParser.BAD_SIG, reason(with("sig", "[\"" + SIGNED.sig() + "\"]")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1700000000.5", "1e9", "\"1700000000\"", "null", "true", "[1]", "{}"})
    void createdAtMustBeAJsonInteger(String badValue) {
        assertEquals(EventParser.BAD_CREATED_AT, reason(with("created_at", badValue)));
    }

    @Test
    void createdAtRange() throws Exception {
        assertEquals(EventParser.NEGATIVE_CREATED_AT, reason(with("created_at", "-1")));
        assertEquals(EventParser.NEGATIVE_CREATED_AT, reason(with("created_at", "-99999999999999999999")));
        assertEquals(EventParser.CREATED_AT_RANGE, reason(with("created_at", "9223372036854775808")));
        assertEquals(0L, EventParser.parse(with("created_at", "0")).createdAt());
        assertEquals(Long.MAX_VALUE, EventParser.parse(with("created_at", "9223372036854775807")).createdAt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "-1", "1.0", "\"1\"", "4294967297", "99999999999999999999999", "null", "[1]"})
    void kindMustBeAnIntegerBetween0And65535(String badValue) {
        assertEquals(EventParser.BAD_KIND, reason(with("kind", badValue)));
    }

    @Test
    void kindBoundsAreAccepted() throws Exception {
        assertEquals(0, EventParser.parse(with("kind", "0")).kind());
        assertEquals(65535, EventParser.parse(with("kind", "65535")).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[[\"a\",1]]", "[\"a\"]", "\"a\"", "null", "{}", "[[\"a\",[\"b\"]]]", "[[\"a\",{}]]",
            "[[\"a\",null]]", "[[\"a\",true]]", "[[\"t\",\"ok\"],5]", "[[[]]]"})
    void tagsMustBeAnArrayOfArraysOfStrings(String badValue) {
        assertEquals(EventParser.BAD_TAGS, reason(with("tags", badValue)));
    }

    @Test
    void emptyTagsAndEmptyTagArraysAreAccepted() throws Exception {
        assertEquals(List.of(), EventParser.parse(with("tags", "[]")).tags());
        assertEquals(List.of(List.of(), List.of("-")), EventParser.parse(with("tags", "[[],[\"-\"]]")).tags());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "null", "true", "[]", "[\"hello\"]", "{}"})
    void contentMustBeAString(String badValue) {
        assertEquals(EventParser.BAD_CONTENT, reason(with("content", badValue)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud800\"", "\"x\\udc00\"", "\"\\udc00\\ud800\"", "\"\\ud83d\"", "\"a\\ud83dx\\ude00\""})
    void stringsWithUnpairedSurrogatesAreRefused(String badString) {
        assertEquals(EventParser.UNPAIRED_SURROGATE, reason(with("content", badString)));
        assertEquals(EventParser.UNPAIRED_SURROGATE, reason(with("tags", "[[\"t\"," + badString + "]]")));
    }

    @Test
    void escapedSurrogatePairsDecodeToOneCodePoint() throws Exception {
        assertEquals("😀", EventParser.parse(with("content", "\"\\ud83d\\ude00\"")).content());
        assertEquals("😀", EventParser.parse(with("content", "\"\\uD83D\\uDE00\"")).content());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"event\"", "5", "null", "true", "", "   "})
    void anythingButAnObjectIsRefused(String json) {
        assertEquals(EventParser.NOT_AN_OBJECT, reason(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"id\":", "{\"kind\":01}", "{\"content\":'x'}", "{\"tags\":[[\"a\"]}", "{\"a\" 1}", "nope"})
    void malformedJsonIsRefused(String json) {
        assertEquals(EventParser.NOT_JSON, reason(json));
    }

    @Test
    void trailingContentIsRefused() {
        String json = SIGNED.toJson();
        assertEquals(EventParser.NOT_SINGLE, reason(json + json));
        assertEquals(EventParser.NOT_SINGLE, reason(json + " 5"));
        assertEquals(EventParser.NOT_JSON, reason(json + "}"));
    }

    @Test
    void theFirstProblemInDocumentOrderIsReported() {
        Map<String, String> fields = fields();
        fields.put("kind", "-5");
        fields.put("content", "7");
        assertEquals(EventParser.BAD_KIND, reason(object(fields)));
        fields.remove("sig");
        assertEquals(EventParser.BAD_KIND, reason(object(fields)));
    }

    @Test
    void theEventIdIsReportedWhenItWasWellFormedEvenIfItCameLast() {
        Map<String, String> fields = fields();
        String id = fields.remove("id");
        fields.put("content", "[]");
        fields.put("id", id);
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventParser.parse(object(fields)));
        assertEquals(EventParser.BAD_CONTENT, e.getMessage());
        assertEquals(SIGNED.id(), e.eventId());

        InvalidEventException missing = assertThrows(InvalidEventException.class,
                () -> EventParser.parse(with("sig", "1").replace(",\"sig\":1", "")));
        assertEquals("missing field: sig", missing.getMessage());
        assertEquals(SIGNED.id(), missing.eventId());

        InvalidEventException badId = assertThrows(InvalidEventException.class,
                () -> EventParser.parse(with("id", quoted(SIGNED.id().toUpperCase()))));
        assertNull(badId.eventId());
    }

    @Test
    void streamingParseStopsRightAfterTheEventObject() throws Exception {
        String frame = "[\"EVENT\"," + SIGNED.toJson() + ",\"after\"]";
        try (JsonParser p = StrictJson.FACTORY.createParser(frame)) {
            assertEquals(JsonToken.START_ARRAY, p.nextToken());
            assertEquals("EVENT", p.nextTextValue());
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            assertEquals(SIGNED, EventParser.parse(p));
            assertEquals(JsonToken.END_OBJECT, p.currentToken());
            assertEquals("after", p.nextTextValue());
        }
    }

    @Test
    void streamingParseConsumesAnInvalidEventWhole() throws Exception {
        String frame = "[\"EVENT\"," + with("tags", "[[\"a\",[1,{\"x\":[2]}]],\"b\",{}]") + ",\"after\"]";
        try (JsonParser p = StrictJson.FACTORY.createParser(frame)) {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventParser.parse(p));
            assertEquals(EventParser.BAD_TAGS, e.getMessage());
            assertEquals("after", p.nextTextValue());
        }
        try (JsonParser p = StrictJson.FACTORY.createParser("[\"EVENT\",[1,[2]],\"after\"]")) {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventParser.parse(p));
            assertEquals(EventParser.NOT_AN_OBJECT, e.getMessage());
            assertEquals("after", p.nextTextValue());
        }
    }

    @Test
    void stringEscapesDecodeExactly() throws Exception {
        Event parsed = EventParser.parse(with("content", "\"\\u0000\\u001F\\/\\u00e9\\\"\\\\\\b\\f\\n\\r\\t\\u2028\""));
        assertEquals("\u0000\u001f/é\"\\\b\f\n\r\t\u2028", parsed.content());
    }
}
