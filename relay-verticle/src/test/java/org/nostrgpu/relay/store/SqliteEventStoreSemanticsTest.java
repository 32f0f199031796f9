package org.nostrgpu.relay.store;

import io.vertx.core.Future;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;
import static org.nostrgpu.relay.store.StoreTesting.awaitFailure;
import static org.nostrgpu.relay.store.StoreTesting.byAuthor;
import static org.nostrgpu.relay.store.StoreTesting.byIds;
import static org.nostrgpu.relay.store.StoreTesting.byTag;
import static org.nostrgpu.relay.store.StoreTesting.json;

/** NIP-01/09/40 storage semantics, one rule per test, on a real SQLite file. */
@ExtendWith(VertxExtension.class)
class SqliteEventStoreSemanticsTest {
    private final EventSigner alice = EventSigner.random();
    private final EventSigner bob = EventSigner.random();
    private SqliteEventStore store;

    @BeforeEach
    void open(Vertx vertx, @TempDir Path dir) {
        store = StoreTesting.open(vertx, dir);
    }

    @AfterEach
    void close() {
        await(store.close());
    }

    private StoreOutcome store(Event event) {
        return await(store.store(event));
    }

    private List<String> query(Filter filter) {
        return await(store.query(List.of(filter), 500, NOW));
    }

    private Event note(EventSigner signer, long createdAt, String content) {
        return signer.sign(createdAt, 1, List.of(), content);
    }

    @Test
    void regularEventIsStoredOnceAndAgainIsDuplicate() {
        Event event = note(alice, NOW - 10, "hello");
        assertFalse(await(store.isKnown(event.id())));
        assertEquals(StoreOutcome.STORED, store(event));
        assertEquals(StoreOutcome.DUPLICATE, store(event));
        assertTrue(await(store.isKnown(event.id())));
        assertEquals(Optional.of(StoreOutcome.DUPLICATE), await(store.lookup(event.id())));
        assertEquals(json(event), query(byIds(event.id())));
    }

    @Test
    void ephemeralEventIsRefusedWithIllegalArgument() {
        Event ephemeral = alice.sign(NOW, 20001, List.of(), "typing");
        assertInstanceOf(IllegalArgumentException.class, awaitFailure(store.store(ephemeral)));
        assertFalse(await(store.isKnown(ephemeral.id())));
    }

    @Test
    void replaceableKeepsOnlyTheNewest() {
        Event old = alice.sign(NOW - 100, 0, List.of(), "{\"name\":\"old\"}");
        Event newer = alice.sign(NOW - 50, 0, List.of(), "{\"name\":\"new\"}");
        Event older = alice.sign(NOW - 200, 0, List.of(), "{\"name\":\"older\"}");
        assertEquals(StoreOutcome.STORED, store(old));
        assertEquals(StoreOutcome.STORED, store(newer));
        assertEquals(StoreOutcome.SUPERSEDED, store(older));
        assertEquals(json(newer), query(byAuthor(alice.pubkey())));
        assertFalse(await(store.isKnown(old.id())), "the replaced version is gone");
        // another author's profile and another replaceable kind are separate keys
        Event bobs = bob.sign(NOW - 300, 0, List.of(), "{}");
        Event relays = alice.sign(NOW - 300, 10002, List.of(List.of("r", "wss://x")), "");
        assertEquals(StoreOutcome.STORED, store(bobs));
        assertEquals(StoreOutcome.STORED, store(relays));
        assertEquals(json(newer, relays), query(byAuthor(alice.pubkey())));
    }

    @Test
    void replaceableWithSameCreatedAtKeepsTheLowestId() {
        Event a = alice.sign(NOW - 10, 3, List.of(), "a");
        Event b = alice.sign(NOW - 10, 3, List.of(), "b");
        Event low = a.id().compareTo(b.id()) < 0 ? a : b;
        Event high = low == a ? b : a;
        assertEquals(StoreOutcome.STORED, store(high));
        assertEquals(StoreOutcome.STORED, store(low));
        assertEquals(StoreOutcome.SUPERSEDED, store(high));
        assertEquals(json(low), query(byAuthor(alice.pubkey())));
    }

    @Test
    void replacedVersionTakesItsTagsWithIt() {
        Event old = alice.sign(NOW - 100, 3, List.of(List.of("p", bob.pubkey())), "");
        Event newer = alice.sign(NOW - 50, 3, List.of(), "");
        store(old);
        assertEquals(json(old), query(byTag('p', bob.pubkey())));
        store(newer);
        assertEquals(List.of(), query(byTag('p', bob.pubkey())));
    }

    @Test
    void addressableIsKeyedByDTagWithMissingDAsEmpty() {
        Event articleX1 = alice.sign(NOW - 100, 30023, List.of(List.of("d", "x")), "x v1");
        Event articleX2 = alice.sign(NOW - 90, 30023, List.of(List.of("d", "x")), "x v2");
        Event articleY = alice.sign(NOW - 80, 30023, List.of(List.of("d", "y")), "y");
        Event noD = alice.sign(NOW - 70, 30023, List.of(), "no d");
        Event emptyD = alice.sign(NOW - 60, 30023, List.of(List.of("d")), "d without value");
        Event bobsX = bob.sign(NOW - 50, 30023, List.of(List.of("d", "x")), "bob x");
        assertEquals(StoreOutcome.STORED, store(articleX2));
        assertEquals(StoreOutcome.SUPERSEDED, store(articleX1));
        assertEquals(StoreOutcome.STORED, store(articleY));
        assertEquals(StoreOutcome.STORED, store(noD));
        assertEquals(StoreOutcome.STORED, store(emptyD), "same address as no d tag, and newer");
        assertEquals(StoreOutcome.STORED, store(bobsX));
        assertEquals(json(emptyD, articleY, articleX2), query(byAuthor(alice.pubkey())));
        assertEquals(json(bobsX, articleX2), query(byTag('d', "x")));
    }

    @Test
    void deletionByIdRemovesTheAuthorsOwnEventAndRefusesItForever() {
        Event note = note(alice, NOW - 100, "oops");
        store(note);
        Event deletion = alice.sign(NOW - 50, 5, List.of(List.of("e", note.id())), "mistake");
        assertEquals(StoreOutcome.STORED, store(deletion));
        assertEquals(List.of(), query(byIds(note.id())));
        assertEquals(StoreOutcome.DELETED, store(note));
        assertTrue(await(store.isKnown(note.id())), "a deleted id is known: no need to verify it again");
        assertEquals(Optional.of(StoreOutcome.DELETED), await(store.lookup(note.id())));
        assertEquals(json(deletion), query(byAuthor(alice.pubkey())), "the deletion itself is stored");
    }

    @Test
    void deletionOfAnotherAuthorsEventIsIgnored() {
        Event note = note(alice, NOW - 100, "mine");
        store(note);
        Event foreign = bob.sign(NOW - 50, 5, List.of(List.of("e", note.id())), "");
        assertEquals(StoreOutcome.STORED, store(foreign));
        assertEquals(json(note), query(byIds(note.id())));
        Event copy = note;
        assertEquals(StoreOutcome.DUPLICATE, store(copy));
    }

    @Test
    void deletionEventsCannotBeDeleted() {
        Event note = note(alice, NOW - 100, "x");
        Event firstDeletion = alice.sign(NOW - 90, 5, List.of(List.of("e", note.id())), "");
        store(note);
        store(firstDeletion);
        Event deletionOfDeletion = alice.sign(NOW - 80, 5, List.of(List.of("e", firstDeletion.id())), "");
        assertEquals(StoreOutcome.STORED, store(deletionOfDeletion));
        assertEquals(json(firstDeletion), query(byIds(firstDeletion.id())));
        assertEquals(StoreOutcome.DUPLICATE, store(firstDeletion));
    }

    @Test
    void deletionByAddressRemovesVersionsUpToItsCreatedAt() {
        Event v1 = alice.sign(NOW - 100, 30000, List.of(List.of("d", "list")), "v1");
        store(v1);
        String address = "30000:" + alice.pubkey() + ":list";
        Event deletion = alice.sign(NOW - 50, 5, List.of(List.of("a", address)), "");
        assertEquals(StoreOutcome.STORED, store(deletion));
        assertEquals(List.of(), query(byTag('d', "list")));
        assertEquals(StoreOutcome.DELETED, store(v1), "deleted versions cannot come back");
        Event beforeDeletion = alice.sign(NOW - 60, 30000, List.of(List.of("d", "list")), "v2 written before");
        Event atDeletion = alice.sign(NOW - 50, 30000, List.of(List.of("d", "list")), "v3 at deletion time");
        Event afterDeletion = alice.sign(NOW - 40, 30000, List.of(List.of("d", "list")), "v4 after");
        assertEquals(StoreOutcome.DELETED, store(beforeDeletion));
        assertEquals(StoreOutcome.DELETED, store(atDeletion));
        assertEquals(StoreOutcome.STORED, store(afterDeletion));
        assertEquals(json(afterDeletion), query(byTag('d', "list")));
        // the other d values and other authors' same address are untouched
        Event other = alice.sign(NOW - 100, 30000, List.of(List.of("d", "other")), "");
        Event bobs = bob.sign(NOW - 100, 30000, List.of(List.of("d", "list")), "");
        assertEquals(StoreOutcome.STORED, store(other));
        assertEquals(StoreOutcome.STORED, store(bobs));
    }

    @Test
    void deletionByAddressOfAnotherAuthorIsIgnored() {
        Event v1 = alice.sign(NOW - 100, 30000, List.of(List.of("d", "list")), "v1");
        store(v1);
        Event foreign = bob.sign(NOW - 50, 5, List.of(List.of("a", "30000:" + alice.pubkey() + ":list")), "");
        store(foreign);
        assertEquals(json(v1), query(byTag('d', "list")));
    }

    @Test
    void deletionByAddressCoversReplaceableEventsWithEmptyD() {
        Event profile = alice.sign(NOW - 100, 0, List.of(), "{}");
        store(profile);
        store(alice.sign(NOW - 50, 5, List.of(List.of("a", "0:" + alice.pubkey() + ":")), ""));
        assertEquals(List.of(), query(byIds(profile.id())));
        assertEquals(StoreOutcome.DELETED, store(profile));
    }

    @Test
    void deletionArrivingBeforeItsTargetRefusesTheTargetFromTheSameAuthorOnly() {
        Event later = note(alice, NOW - 100, "arrives after its deletion");
        Event deletion = alice.sign(NOW - 50, 5, List.of(List.of("e", later.id())), "");
        Event squat = bob.sign(NOW - 40, 5, List.of(List.of("e", later.id())), "");
        store(squat);
        store(deletion);
        assertFalse(await(store.isKnown(later.id())), "unconfirmed: the id could belong to anyone");
        assertEquals(StoreOutcome.DELETED, store(later));
        assertTrue(await(store.isKnown(later.id())), "now confirmed as alice's deleted event");

        Event bobsNote = note(bob, NOW - 100, "bob's");
        Event aliceClaimsIt = alice.sign(NOW - 50, 5, List.of(List.of("e", bobsNote.id())), "");
        store(aliceClaimsIt);
        assertEquals(StoreOutcome.STORED, store(bobsNote), "a deletion only applies to its author's events");
    }

    @Test
    void expiredEventsAreHiddenThenRemoved() {
        Event expiring = alice.sign(NOW - 100, 1, List.of(List.of("expiration", String.valueOf(NOW)), List.of("t", "x")), "");
        Event lasting = alice.sign(NOW - 90, 1, List.of(List.of("t", "x")), "");
        store(expiring);
        store(lasting);
        Filter all = byTag('t', "x");
        assertEquals(json(lasting, expiring), await(store.query(List.of(all), 500, NOW - 1)));
        assertEquals(2L, await(store.count(List.of(all), NOW - 1)));
        assertEquals(json(lasting), await(store.query(List.of(all), 500, NOW)), "expiration <= now is hidden");
        assertEquals(1L, await(store.count(List.of(all), NOW)));
        assertEquals(0, await(store.removeExpired(NOW - 1)));
        assertEquals(1, await(store.removeExpired(NOW)));
        assertEquals(json(lasting), await(store.query(List.of(all), 500, NOW - 1)), "row and tags removed");
        assertEquals(0, await(store.removeExpired(NOW)));
    }

    @Test
    void limitsAndMultipleFiltersMergeWithoutDuplicates() {
        List<Event> notes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            notes.add(note(alice, NOW - 100 + i, "n" + i));
            store(notes.get(i));
        }
        Filter newestTwo = new Filter(null, Set.of(alice.pubkey()), null, null, null, null, 2);
        Filter oldest = new Filter(Set.of(notes.get(0).id(), notes.get(4).id()), null, null, null, null, null, null);
        List<String> merged = await(store.query(List.of(newestTwo, oldest), 500, NOW));
        assertEquals(json(notes.get(4), notes.get(3), notes.get(0)), merged);
        assertEquals(json(notes.get(4)), await(store.query(List.of(newestTwo), 1, NOW)), "maxLimit caps the filter's");
        Filter zero = new Filter(null, Set.of(alice.pubkey()), null, null, null, null, 0);
        assertEquals(List.of(), await(store.query(List.of(zero), 500, NOW)));
        assertEquals(5L, await(store.count(List.of(zero, oldest), NOW)), "count ignores limit and counts once");
        Filter nothing = new Filter(null, Set.of(), null, null, null, null, null);
        assertEquals(List.of(), await(store.query(List.of(nothing), 500, NOW)));
        assertEquals(0L, await(store.count(List.of(nothing), NOW)));
    }

    @Test
    void concurrentStoresAreGroupedIntoFewerTransactions() {
        List<Future<StoreOutcome>> futures = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(note(alice, NOW - i, "n" + i));
        }
        long before = store.writeTransactions();
        events.forEach(event -> futures.add(store.store(event)));
        futures.forEach(future -> assertEquals(StoreOutcome.STORED, await(future)));
        long transactions = store.writeTransactions() - before;
        // how many depends on how fast the writer commits while this thread submits (the first one goes alone): a
        // writer thread of its own commits small groups quickly on a busy machine; grouping means well under 200
        assertTrue(transactions < 50, "200 concurrent stores took " + transactions + " transactions");
        List<Future<Boolean>> known = events.stream().map(event -> store.isKnown(event.id())).toList();
        known.forEach(future -> assertTrue(await(future)));
    }
}
