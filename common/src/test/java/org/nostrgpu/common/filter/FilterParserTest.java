package org.nostrgpu.common.filter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.StrictJson;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterParserTest {
    private static final String HEX_A = "a".repeat(64);
    private static final String HEX_B = "0123456789abcdef".repeat(4);

    private static String reason(String json) {
        return assertThrows(InvalidFilterException.class, () -> FilterParser.parse(json)).getMessage();
    }

    @Test
    void emptyObjectIsTheFilterOfEverything() throws Exception {
        assertEquals(Filter.all(), FilterParser.parse("{}"));
    }

    @Test
    void everyFieldIsRead() throws Exception {
        Filter filter = FilterParser.parse("{\"ids\":[\"" + HEX_A + "\"],\"authors\":[\"" + HEX_B + "\",\"" + HEX_A
                + "\"],\"kinds\":[0,1,65535,1],\"#e\":[\"" + HEX_B + "\"],\"#t\":[\"nostr\",\"\"],\"#T\":[\"x\"],"
                + "\"since\":0,\"until\":1700000000,\"limit\":0}");
        assertEquals(Set.of(HEX_A), filter.ids());
        assertEquals(Set.of(HEX_A, HEX_B), filter.authors());
        assertEquals(Set.of(0, 1, 65535), filter.kinds());
        assertEquals(Map.of('e', Set.of(HEX_B), 't', Set.of("nostr", ""), 'T', Set.of("x")), filter.tagValues());
        assertEquals(0L, filter.since());
        assertEquals(1_700_000_000L, filter.until());
        assertEquals(0, filter.limit());
    }

    @Test
    void absentFieldsStayNullAndEmptyArraysStayEmpty() throws Exception {
        Filter absent = FilterParser.parse("{\"kinds\":[1]}");
        assertNull(absent.ids());
        assertNull(absent.authors());
        assertNull(absent.tagValues());
        assertNull(absent.since());
        assertNull(absent.until());
        assertNull(absent.limit());
        Filter empty = FilterParser.parse("{\"ids\":[],\"#t\":[]}");
        assertEquals(Set.of(), empty.ids());
        assertEquals(Map.of('t', Set.of()), empty.tagValues());
        assertTrue(empty.matchesNothing());
    }

    @Test
    void hugeLimitReadsAsIntegerMax() throws Exception {
        assertEquals(Integer.MAX_VALUE, FilterParser.parse("{\"limit\":99999999999999999999999}").limit());
        assertEquals(Integer.MAX_VALUE, FilterParser.parse("{\"limit\":2147483648}").limit());
        assertEquals(Long.MAX_VALUE, FilterParser.parse("{\"until\":9223372036854775807}").until());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ids", "authors", "#e", "#p"})
    void hexFieldsTakeExact64CharacterLowercaseHex(String field) {
        String expected = field + " must be 64-character lowercase hex";
        assertEquals(expected, reason("{\"" + field + "\":[\"abcd\"]}"));
        assertEquals(expected, reason("{\"" + field + "\":[\"" + HEX_A.toUpperCase() + "\"]}"));
        assertEquals(expected, reason("{\"" + field + "\":[\"" + HEX_A + "\",\"" + HEX_A + "0\"]}"));
        assertEquals(expected, reason("{\"" + field + "\":[\"" + "g".repeat(64) + "\"]}"));
        String notStrings = field + " must be an array of strings";
        assertEquals(notStrings, reason("{\"" + field + "\":\"" + HEX_A + "\"}"));
        assertEquals(notStrings, reason("{\"" + field + "\":[1]}"));
        assertEquals(notStrings, reason("{\"" + field + "\":[[\"" + HEX_A + "\"]]}"));
        assertEquals(notStrings, reason("{\"" + field + "\":null}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[65536]", "[-1]", "[1.0]", "[\"1\"]", "[null]", "1", "null", "{}", "[4294967296]"})
    void kindsMustBeIntegersFrom0To65535(String value) {
        assertEquals(FilterParser.BAD_KINDS, reason("{\"kinds\":" + value + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"since", "until"})
    void sinceAndUntilMustBeNonNegativeIntegers(String field) {
        for (String value : new String[]{"-1", "1.5", "1.0", "1e3", "\"100\"", "null", "[1]"}) {
            assertEquals(field + " must be a non-negative integer", reason("{\"" + field + "\":" + value + "}"), value);
        }
        assertEquals(field + " is out of range", reason("{\"" + field + "\":9223372036854775808}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "10.0", "\"10\"", "null", "[]"})
    void limitMustBeANonNegativeInteger(String value) {
        assertEquals(FilterParser.BAD_LIMIT, reason("{\"limit\":" + value + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#t", "#d", "#a", "#E"})
    void otherTagFiltersTakeArraysOfStrings(String field) {
        assertEquals(field + " must be an array of strings", reason("{\"" + field + "\":\"x\"}"));
        assertEquals(field + " must be an array of strings", reason("{\"" + field + "\":[\"x\",1]}"));
        assertEquals(field + " must be an array of strings", reason("{\"" + field + "\":[null]}"));
        assertEquals(EventParser.UNPAIRED_SURROGATE, reason("{\"" + field + "\":[\"\\ud800\"]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"search", "#", "#ab", "#1", "#-", "#é", "e", "ID", "ids ", "limits"})
    void unknownFieldsAreRefusedByName(String field) {
        assertEquals("unsupported filter field: " + field, reason("{\"" + field + "\":[\"x\"]}"));
    }

    @Test
    void longOrMalformedUnknownNamesAreNotEchoedWhole() {
        String longName = "x".repeat(1000);
        assertEquals("unsupported filter field: " + "x".repeat(64) + "...", reason("{\"" + longName + "\":1}"));
        assertEquals("unsupported filter field", reason("{\"\\ud800\":1}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ids", "authors", "kinds", "since", "until", "limit", "#e", "#t"})
    void duplicateFieldsAreRefused(String field) {
        String value = switch (field) {
            case "ids", "authors", "#e" -> "[\"" + HEX_A + "\"]";
            case "kinds" -> "[1]";
            case "#t" -> "[\"x\"]";
            default -> "5";
        };
        String json = "{\"" + field + "\":" + value + ",\"" + field + "\":" + value + "}";
        assertEquals("duplicate field: " + field, reason(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"filter\"", "5", "null", ""})
    void anythingButAnObjectIsRefused(String json) {
        assertEquals(FilterParser.NOT_AN_OBJECT, reason(json));
    }

    @Test
    void malformedOrTrailingJsonIsRefused() {
        assertEquals(FilterParser.NOT_JSON, reason("{\"kinds\":[1}"));
        assertEquals(FilterParser.NOT_JSON, reason("{\"kinds\":[01]}"));
        assertEquals(FilterParser.NOT_SINGLE, reason("{} {}"));
    }

    @Test
    void streamingParseLeavesTheParserAfterTheFilterEvenWhenItIsInvalid() throws Exception {
        String frame = "[\"REQ\",\"sub\",{\"kinds\":[1]},{\"kinds\":[1,[2,3],4],\"#t\":[\"a\"],\"x\":{}},"
                + "{\"search\":{\"a\":[1]},\"kinds\":[1]},7,{\"limit\":3}]";
        try (JsonParser p = StrictJson.FACTORY.createParser(frame)) {
            assertEquals(JsonToken.START_ARRAY, p.nextToken());
            assertEquals("REQ", p.nextTextValue());
            assertEquals("sub", p.nextTextValue());
            p.nextToken();
            assertEquals(Set.of(1), FilterParser.parse(p).kinds());
            p.nextToken();
            assertEquals(FilterParser.BAD_KINDS, assertThrows(InvalidFilterException.class, () -> FilterParser.parse(p)).getMessage());
            p.nextToken();
            assertEquals("unsupported filter field: search",
                    assertThrows(InvalidFilterException.class, () -> FilterParser.parse(p)).getMessage());
            p.nextToken();
            assertEquals(FilterParser.NOT_AN_OBJECT, assertThrows(InvalidFilterException.class, () -> FilterParser.parse(p)).getMessage());
            p.nextToken();
            assertEquals(3, FilterParser.parse(p).limit());
            assertEquals(JsonToken.END_ARRAY, p.nextToken());
        }
    }
}
