package org.nostrgpu.common.filter;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Event;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterMatchingTest {
    private static final String ID = "1".repeat(64);
    private static final String AUTHOR = "2".repeat(64);
    private static final String OTHER = "3".repeat(64);
    private static final String REFERENCED = "4".repeat(64);

    private static final Event EVENT = new Event(ID, AUTHOR, 1000, 1,
            List.of(List.of("e", REFERENCED, "wss://relay.example", "reply"),
                    List.of("e", OTHER),
                    List.of("p"),
                    List.of("t", "nostr"),
                    List.of("title", "x"),
                    List.of("T", "upper"),
                    List.of("d", "first", "second")),
            "hello", "5".repeat(128));

    private static Filter parse(String json) throws InvalidFilterException {
        return FilterParser.parse(json);
    }

    private static boolean matches(String json) throws InvalidFilterException {
        return parse(json).matches(EVENT);
    }

    @Test
    void emptyFilterMatchesEverything() throws Exception {
        assertTrue(matches("{}"));
    }

    @Test
    void idsAuthorsAndKindsAreExactMembership() throws Exception {
        assertTrue(matches("{\"ids\":[\"" + OTHER + "\",\"" + ID + "\"]}"));
        assertFalse(matches("{\"ids\":[\"" + OTHER + "\"]}"));
        assertTrue(matches("{\"authors\":[\"" + AUTHOR + "\"]}"));
        assertFalse(matches("{\"authors\":[\"" + OTHER + "\"]}"));
        assertTrue(matches("{\"kinds\":[0,1]}"));
        assertFalse(matches("{\"kinds\":[0,1000]}"));
    }

    @Test
    void sinceAndUntilAreBothInclusive() throws Exception {
        assertTrue(matches("{\"since\":1000}"));
        assertTrue(matches("{\"until\":1000}"));
        assertTrue(matches("{\"since\":1000,\"until\":1000}"));
        assertTrue(matches("{\"since\":999,\"until\":1001}"));
        assertFalse(matches("{\"since\":1001}"));
        assertFalse(matches("{\"until\":999}"));
        assertFalse(matches("{\"since\":1001,\"until\":999}"));
        assertTrue(parse("{\"since\":1001,\"until\":999}").matchesNothing());
    }

    @Test
    void tagFiltersLookAtTheFirstValueOfEveryTagWithThatName() throws Exception {
        assertTrue(matches("{\"#e\":[\"" + REFERENCED + "\"]}"));
        assertTrue(matches("{\"#e\":[\"" + OTHER + "\"]}"), "a later e tag counts too");
        assertFalse(matches("{\"#e\":[\"" + ID + "\"]}"));
        assertTrue(matches("{\"#t\":[\"nostr\",\"bitcoin\"]}"));
        assertTrue(matches("{\"#d\":[\"first\"]}"));
        assertFalse(matches("{\"#d\":[\"second\"]}"), "only the first value is matched");
        assertFalse(matches("{\"#r\":[\"wss://relay.example\"]}"));
        assertFalse(matches("{\"#t\":[\"Nostr\"]}"), "values are case-sensitive");
    }

    @Test
    void tagNamesAreCaseSensitiveSingleLetters() throws Exception {
        assertTrue(matches("{\"#T\":[\"upper\"]}"));
        assertFalse(matches("{\"#t\":[\"upper\"]}"));
        assertFalse(matches("{\"#t\":[\"x\"]}"), "the multi-letter tag 'title' is not a 't' tag");
    }

    @Test
    void tagsWithoutAValueNeverMatch() {
        Filter anyP = new Filter(null, null, null, Map.of('p', Set.of("")), null, null, null);
        assertFalse(anyP.matches(EVENT), "[\"p\"] has no first value");
    }

    @Test
    void allConditionsMustHold() throws Exception {
        assertTrue(matches("{\"authors\":[\"" + AUTHOR + "\"],\"kinds\":[1],\"#e\":[\"" + REFERENCED
                + "\"],\"#t\":[\"nostr\"],\"since\":1000,\"until\":1000}"));
        assertFalse(matches("{\"authors\":[\"" + AUTHOR + "\"],\"kinds\":[1],\"#e\":[\"" + REFERENCED
                + "\"],\"#t\":[\"other\"]}"));
        assertFalse(matches("{\"authors\":[\"" + AUTHOR + "\"],\"kinds\":[2]}"));
    }

    @Test
    void emptySetsMatchNothing() throws Exception {
        for (String json : List.of("{\"ids\":[]}", "{\"authors\":[]}", "{\"kinds\":[]}", "{\"#t\":[]}")) {
            assertFalse(matches(json), json);
            assertTrue(parse(json).matchesNothing(), json);
        }
        assertFalse(parse("{\"kinds\":[1],\"#t\":[\"x\"]}").matchesNothing());
    }

    @Test
    void limitDoesNotAffectMatching() throws Exception {
        assertTrue(matches("{\"limit\":0}"));
        assertTrue(matches("{\"limit\":1,\"kinds\":[1]}"));
        assertFalse(parse("{\"limit\":0}").matchesNothing());
    }

    @Test
    void filtersAreImmutableCopies() {
        Set<String> ids = new HashSet<>(Set.of(ID));
        Map<Character, Set<String>> tags = new HashMap<>(Map.of('t', new HashSet<>(Set.of("nostr"))));
        Filter filter = new Filter(ids, null, null, tags, null, null, null);
        ids.clear();
        tags.get('t').clear();
        tags.put('x', Set.of("y"));
        assertTrue(filter.matches(EVENT));
        assertThrows(UnsupportedOperationException.class, () -> filter.ids().add(OTHER));
        assertThrows(UnsupportedOperationException.class, () -> filter.tagValues().get('t').add("z"));
        assertThrows(UnsupportedOperationException.class, () -> filter.tagValues().put('z', Set.of()));
    }
}
