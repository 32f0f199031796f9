package org.nostrgpu.relay.store;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;
import static org.nostrgpu.relay.store.StoreTesting.byTag;
import static org.nostrgpu.relay.store.StoreTesting.json;

/**
 * Every way an event leaves the store takes its tag rows with it: the trigger finds them through the tags key from
 * the tags in the event's JSON, so its mapping of values must be the writer's exactly (64 lowercase hex characters
 * as 32 bytes, anything else as text). Tag rows left behind would answer {@code #x} REQs for events that are gone.
 */
@ExtendWith(VertxExtension.class)
class TagRowRemovalTest {
    private static final String LOWER_KEY = "ab".repeat(32);
    private final EventSigner alice = EventSigner.random();
    private final EventSigner bob = EventSigner.random();

    /** Tag values of every kind the writer maps, with names that are and are not indexed. */
    private List<List<String>> awkwardTags(String unique) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("e", LOWER_KEY));
        tags.add(List.of("p", LOWER_KEY.toUpperCase(Locale.ROOT))); // 64 hex characters, not lowercase: text
        tags.add(List.of("x", "ab".repeat(31) + "g0")); // 64 characters, not hex: text
        tags.add(List.of("x", "ab".repeat(31) + "a")); // 63 hex characters: text
        tags.add(List.of("t", "Nostr \uD83C\uDF0D \u00e9"));
        tags.add(List.of("t", "quote \" backslash \\ newline \n tab \t"));
        tags.add(List.of("t", "dup"));
        tags.add(List.of("t", "dup", "extra"));
        tags.add(List.of("t", ""));
        tags.add(List.of("u", unique));
        tags.add(List.of("t")); // no value: no row
        tags.add(List.of("subject", "not a single letter")); // no row
        tags.add(List.of("\u00e9", "non-ASCII single-letter name"));
        return tags;
    }

    @Test
    void deletionReplacementAndExpirationRemoveEveryTagRow(Vertx vertx, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.sqlite3");
        SqliteEventStore store = StoreTesting.open(vertx, dir);
        Event kept = bob.sign(NOW - 50, 1, awkwardTags("kept"), "kept");
        Event deleted = alice.sign(NOW - 40, 1, awkwardTags("deleted"), "deleted by id");
        Event replaced = alice.sign(NOW - 30, 0, awkwardTags("replaced"), "{}");
        List<List<String>> expiringTags = new ArrayList<>(awkwardTags("expiring"));
        expiringTags.add(List.of("expiration", Long.toString(NOW + 10)));
        Event expiring = alice.sign(NOW - 20, 1, expiringTags, "expires");
        Event article = alice.sign(NOW - 25, 30023, withD(awkwardTags("article"), "slug"), "article");
        for (Event event : List.of(kept, deleted, replaced, expiring, article)) {
            assertEquals(StoreOutcome.STORED, await(store.store(event)));
        }
        long rowsPerEvent = tagRows(file, kept);
        assertEquals(10, rowsPerEvent, "distinct (single-letter name, value) pairs of awkwardTags");
        for (Event event : List.of(deleted, replaced, expiring)) {
            assertEquals(rowsPerEvent, tagRows(file, event));
        }
        assertEquals(rowsPerEvent + 1, tagRows(file, article), "and its d tag");

        assertEquals(StoreOutcome.STORED, await(store.store(alice.sign(NOW - 10, 5,
                List.of(List.of("e", deleted.id()), List.of("a", "30023:" + alice.pubkey() + ":slug")), ""))));
        assertEquals(StoreOutcome.STORED, await(store.store(alice.sign(NOW - 5, 0, List.of(), "{}"))));
        assertEquals(1, await(store.removeExpired(NOW + 20)));

        for (Event gone : List.of(deleted, replaced, expiring, article)) {
            assertEquals(0, tagRows(file, gone), "tag rows left behind by " + gone.content());
        }
        assertEquals(rowsPerEvent, tagRows(file, kept));
        assertEquals(json(kept), await(store.query(List.of(byTag('e', LOWER_KEY)), 100, NOW)));
        assertEquals(json(kept), await(store.query(List.of(byTag('t', "dup")), 100, NOW)));
        await(store.close());
    }

    private static List<List<String>> withD(List<List<String>> tags, String d) {
        List<List<String>> all = new ArrayList<>(tags);
        all.add(List.of("d", d));
        return all;
    }

    private static long tagRows(Path file, Event event) throws Exception {
        return StoreTesting.longElsewhere(file, "SELECT count(*) FROM tags WHERE event_id = unhex('" + event.id() + "')");
    }
}
