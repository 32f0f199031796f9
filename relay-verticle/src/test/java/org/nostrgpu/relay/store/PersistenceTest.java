package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;
import static org.nostrgpu.relay.store.StoreTesting.awaitFailure;
import static org.nostrgpu.relay.store.StoreTesting.byAuthor;
import static org.nostrgpu.relay.store.StoreTesting.json;

/** The database file: commits are visible to other connections at once, survive reopening, and are versioned. */
@ExtendWith(VertxExtension.class)
class PersistenceTest {
    private final EventSigner alice = EventSigner.random();

    @Test
    void committedEventsAndDeletionsSurviveCloseAndReopen(Vertx vertx, @TempDir Path dir) throws Exception {
        StoreOptions options = StoreOptions.forFile(dir.resolve("nested/data/nostr.sqlite3"), 2, 100);
        Event kept = alice.sign(NOW - 30, 1, List.of(List.of("t", "x")), "kept");
        Event deleted = alice.sign(NOW - 20, 1, List.of(), "deleted");
        Event deletion = alice.sign(NOW - 10, 5, List.of(List.of("e", deleted.id())), "");
        SqliteEventStore first = await(SqliteEventStore.open(vertx, options));
        for (Event event : List.of(kept, deleted, deletion)) {
            assertEquals(StoreOutcome.STORED, await(first.store(event)));
        }
        // committed means another connection sees it now, not after some later transaction
        assertEquals(2, StoreTesting.longElsewhere(options.file(), "SELECT count(*) FROM events"));
        await(first.close());
        assertTrue(awaitFailure(first.store(kept)) instanceof IllegalStateException, "closed store refuses writes");

        SqliteEventStore reopened = await(SqliteEventStore.open(vertx, options));
        assertEquals(json(deletion, kept), await(reopened.query(List.of(byAuthor(alice.pubkey())), 100, NOW)));
        assertEquals(StoreOutcome.DELETED, await(reopened.store(deleted)));
        assertEquals(StoreOutcome.DUPLICATE, await(reopened.store(kept)));
        Event fresh = alice.sign(NOW - 5, 1, List.of(List.of("t", "x")), "after reopening");
        assertEquals(StoreOutcome.STORED, await(reopened.store(fresh)), "seq numbering continues after reopening");
        assertEquals(json(fresh, kept), await(reopened.query(List.of(StoreTesting.byTag('t', "x")), 100, NOW)));
        await(reopened.close());
        assertEquals(Schema.VERSION, StoreTesting.longElsewhere(options.file(), "PRAGMA user_version"));
        assertEquals("wal", StoreTesting.stringElsewhere(options.file(), "PRAGMA journal_mode"));
        assertEquals(Schema.PAGE_SIZE_BYTES, StoreTesting.longElsewhere(options.file(), "PRAGMA page_size"));
    }

    @Test
    void idsStoredOrDeletedBeforeReopeningAreKnownOnceTheFilterIsLoaded(Vertx vertx, @TempDir Path dir) throws Exception {
        StoreOptions options = StoreOptions.forFile(dir.resolve("nostr.sqlite3"), 2, 100);
        List<Event> notes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            notes.add(alice.sign(NOW - 1000 + i, 1, List.of(), "note " + i));
        }
        Event deleted = alice.sign(NOW - 20, 1, List.of(), "deleted");
        Event deletion = alice.sign(NOW - 10, 5, List.of(List.of("e", deleted.id())), "");
        SqliteEventStore first = await(SqliteEventStore.open(vertx, options));
        await(Future.all(notes.stream().map(first::store).toList()));
        await(first.store(deleted));
        await(first.store(deletion));
        await(first.close());

        SqliteEventStore reopened = await(SqliteEventStore.open(vertx, options));
        assertEquals(notes.size() + 2, await(reopened.knownIdsLoaded()), "stored ids plus the confirmed deleted one");
        for (Event note : notes) {
            assertEquals(Optional.of(StoreOutcome.DUPLICATE), await(reopened.lookup(note.id())));
        }
        assertEquals(Optional.of(StoreOutcome.DELETED), await(reopened.lookup(deleted.id())));
        Event unknown = alice.sign(NOW, 1, List.of(), "never stored");
        assertEquals(Optional.empty(), await(reopened.lookup(unknown.id())));
        assertEquals(StoreOutcome.STORED, await(reopened.store(unknown)));
        assertEquals(Optional.of(StoreOutcome.DUPLICATE), await(reopened.lookup(unknown.id())),
                "stored after the load: known through the writer");
        await(reopened.close());
    }

    @Test
    void databaseFromANewerSchemaIsRefused(Vertx vertx, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("future.sqlite3");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = " + (Schema.VERSION + 1));
        }
        Throwable failure = awaitFailure(SqliteEventStore.open(vertx, StoreOptions.forFile(file, 1, 10)));
        assertTrue(failure.getMessage().contains("schema version " + (Schema.VERSION + 1)), failure.getMessage());
    }

    @Test
    void databaseFromAnOlderSchemaIsRefusedWithAskingForAFreshDataDirectory(Vertx vertx, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.sqlite3");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)");
            statement.execute("PRAGMA user_version = 1");
        }
        Throwable failure = awaitFailure(SqliteEventStore.open(vertx, StoreOptions.forFile(file, 1, 10)));
        assertTrue(failure.getMessage().contains("schema version 1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("fresh, empty data directory"), failure.getMessage());
        assertEquals(1, StoreTesting.longElsewhere(file, "PRAGMA user_version"), "the old database is left as it was");
    }
}
