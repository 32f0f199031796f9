package org.nostrgpu.relay.store;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;

/**
 * The SQL built for a filter agrees exactly with {@link Filter#matches}: a random corpus with colliding
 * timestamps, odd tag shapes and expirations, queried with random filters, gives the same events in the same
 * order (created_at descending, id ascending), limited per filter, merged without duplicates; COUNT agrees too.
 */
@ExtendWith(VertxExtension.class)
class FilterSqlAgreementTest {
    private static final int CORPUS = 400;
    private static final int FILTER_SETS = 200;
    private static final List<Integer> KINDS = List.of(1, 4, 7, 42, 1984, 9735);
    private static final List<Character> LETTERS = List.of('e', 'p', 't', 'E', 'x');

    private final Random random = new Random(20240601);
    private final List<Event> corpus = new ArrayList<>();
    private final List<String> tagValues = new ArrayList<>();
    private List<EventSigner> authors;
    private SqliteEventStore store;

    @BeforeEach
    void fillStore(Vertx vertx, @TempDir Path dir) {
        store = StoreTesting.open(vertx, dir);
        authors = List.of(EventSigner.random(), EventSigner.random(), EventSigner.random(), EventSigner.random(),
                EventSigner.random(), EventSigner.random());
        for (int i = 0; i < 12; i++) {
            tagValues.add(i % 3 == 0 ? "v" + i : Integer.toHexString(i).repeat(64).substring(0, 64));
        }
        // 64 lowercase hex is stored as bytes, anything else as text: near-misses must stay distinct values, and
        // numeric-looking text must not be converted ("1e2" is not "100")
        tagValues.addAll(List.of("A".repeat(64), "a".repeat(63), "a".repeat(65), "1e2", "100", "0100"));
        for (int i = 0; i < CORPUS; i++) {
            EventSigner author = authors.get(random.nextInt(authors.size()));
            long createdAt = NOW - 200 + random.nextInt(60); // many events share a second: the id order matters
            Event event = author.sign(createdAt, KINDS.get(random.nextInt(KINDS.size())), randomTags(), "#" + i);
            corpus.add(event);
        }
        List<io.vertx.core.Future<StoreOutcome>> stored = corpus.stream().map(store::store).toList();
        stored.forEach(future -> assertEquals(StoreOutcome.STORED, await(future)));
    }

    @AfterEach
    void close() {
        await(store.close());
    }

    private List<List<String>> randomTags() {
        List<List<String>> tags = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            String letter = String.valueOf(LETTERS.get(random.nextInt(LETTERS.size())));
            String value = tagValues.get(random.nextInt(tagValues.size()));
            switch (random.nextInt(10)) {
                case 0 -> tags.add(List.of(letter)); // no value: never matches #x
                case 1 -> tags.add(List.of(letter + letter, value)); // two-letter name: never matches #x
                case 2 -> tags.add(List.of(letter, value, "wss://relay", "extra"));
                case 3 -> tags.add(List.of("expiration", String.valueOf(NOW - 100 + random.nextInt(200))));
                default -> tags.add(List.of(letter, value));
            }
        }
        if (random.nextInt(8) == 0 && !tags.isEmpty()) {
            tags.add(tags.get(0)); // the same tag twice
        }
        return tags;
    }

    @Test
    void queryAndCountAgreeWithFilterMatches() {
        int nonEmpty = 0;
        for (int round = 0; round < FILTER_SETS; round++) {
            List<Filter> filters = new ArrayList<>();
            int filterCount = 1 + random.nextInt(3);
            for (int i = 0; i < filterCount; i++) {
                filters.add(randomFilter());
            }
            int maxLimit = 1 + random.nextInt(60);
            long now = NOW - 100 + random.nextInt(220);
            List<String> expected = expectedQuery(filters, maxLimit, now);
            assertEquals(expected, await(store.query(filters, maxLimit, now)), () -> "filters " + filters);
            assertEquals(expectedCount(filters, now), await(store.count(filters, now)), () -> "count of " + filters);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > FILTER_SETS / 3, "the random filters should mostly find events: " + nonEmpty);
    }

    private Filter randomFilter() {
        Set<String> ids = chance(5) ? pick(corpus.stream().map(Event::id).toList(), 1 + random.nextInt(4)) : null;
        Set<String> authorKeys = null;
        if (chance(3)) {
            authorKeys = pick(authors.stream().map(EventSigner::pubkey).toList(), 1 + random.nextInt(3));
            if (chance(6)) {
                // more values than FilterSql inlines: exercises the json_each form
                for (int i = 0; i < FilterSql.MAX_INLINE_VALUES + 5; i++) {
                    authorKeys.add(String.format("%064x", 1000 + i));
                }
            }
        }
        Set<Integer> kinds = chance(3) ? pick(KINDS, 1 + random.nextInt(2)) : null;
        Map<Character, Set<String>> tags = null;
        if (chance(2)) {
            tags = new HashMap<>();
            int letters = 1 + random.nextInt(2);
            for (int i = 0; i < letters; i++) {
                tags.put(LETTERS.get(random.nextInt(LETTERS.size())), pick(tagValues, 1 + random.nextInt(3)));
            }
        }
        Long since = chance(3) ? NOW - 200 + random.nextInt(60) : null;
        Long until = chance(3) ? NOW - 200 + random.nextInt(60) : null;
        Integer limit = chance(2) ? random.nextInt(30) : null;
        if (chance(25)) {
            ids = Set.of(); // matches nothing
        }
        return new Filter(ids, authorKeys, kinds, tags, since, until, limit);
    }

    private boolean chance(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    private <T> Set<T> pick(List<T> from, int count) {
        Set<T> picked = new HashSet<>();
        for (int i = 0; i < count; i++) {
            picked.add(from.get(random.nextInt(from.size())));
        }
        return picked;
    }

    private static final Comparator<Event> NEWEST_FIRST =
            Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id);

    private boolean visible(Event event, long now) {
        return event.expiration().map(expiration -> expiration > now).orElse(true);
    }

    private List<String> expectedQuery(List<Filter> filters, int maxLimit, long now) {
        Map<String, Event> merged = new LinkedHashMap<>();
        for (Filter filter : filters) {
            int limit = filter.limit() == null ? maxLimit : Math.min(filter.limit(), maxLimit);
            corpus.stream()
                    .filter(event -> filter.matches(event) && visible(event, now))
                    .sorted(NEWEST_FIRST)
                    .limit(limit)
                    .forEach(event -> merged.putIfAbsent(event.id(), event));
        }
        return merged.values().stream().sorted(NEWEST_FIRST).map(Event::toJson).toList();
    }

    private long expectedCount(List<Filter> filters, long now) {
        return corpus.stream()
                .filter(event -> visible(event, now) && filters.stream().anyMatch(filter -> filter.matches(event)))
                .count();
    }
}
