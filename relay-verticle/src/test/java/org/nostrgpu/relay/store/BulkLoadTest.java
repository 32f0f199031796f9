package org.nostrgpu.relay.store;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.StartupException;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.relay.bulk.EventExporter;

import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;

/**
 * A database created by {@link SqliteEventStore#openForBulkLoad} is written without the indexes only REQs use and
 * ends up exactly like one written the normal way, whoever builds the indexes: the loader at its end, or another
 * store (a relay started meanwhile, the next open after an interrupted import) when it opens the file.
 */
@ExtendWith(VertxExtension.class)
class BulkLoadTest {
    private static final int ALL = 10_000;
    /** Every tag row but its event_seq (which depends on how writes were grouped), in key order. */
    private static final String TAG_ROWS = """
            SELECT count(*) || ':' || coalesce(group_concat(name || hex(value) || created_at || hex(event_id) || kind, ','), '')
            FROM (SELECT * FROM tags ORDER BY name, value, created_at DESC, event_id)""";
    private static final String INDEXES = """
            SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name)""";
    private static final String PENDING = "SELECT count(*) FROM sqlite_master WHERE name = 'tags_pending'";

    @Test
    void aBulkLoadGivesTheOutcomesAndTheDatabaseOfNormalWrites(Vertx vertx, @TempDir Path dir) throws Exception {
        List<EventSigner> signers = List.of(EventSigner.random(), EventSigner.random(), EventSigner.random());
        for (long seed = 1; seed <= 3; seed++) {
            List<Event> sequence = GroupCommitEquivalenceTest.interactingSequence(new Random(seed), signers);
            Path normalFile = dir.resolve("normal-" + seed + ".sqlite3");
            Path bulkFile = dir.resolve("bulk-" + seed + ".sqlite3");
            SqliteEventStore normal = await(SqliteEventStore.open(vertx, options(normalFile)));
            SqliteEventStore bulk = await(SqliteEventStore.openForBulkLoad(vertx, options(bulkFile)));
            List<StoreOutcome> expected = new ArrayList<>();
            List<StoreOutcome> actual = new ArrayList<>();
            for (Event event : sequence) {
                expected.add(await(normal.store(event)));
                actual.add(await(bulk.store(event)));
            }
            assertEquals(expected, actual, "seed " + seed);
            assertEquals(1, StoreTesting.longElsewhere(bulkFile, PENDING), "tag rows wait in tags_pending");
            assertFalse(StoreTesting.stringElsewhere(bulkFile, INDEXES).contains("events_by_author"));

            assertTrue(await(bulk.completeIndexes()));
            assertFalse(await(bulk.completeIndexes()), "built once");
            assertSameDatabase(normalFile, bulkFile, "seed " + seed);
            assertEquals(everything(normal), everything(bulk), "seed " + seed);
            await(normal.close());
            await(bulk.close());
        }
    }

    @Test
    void whoeverOpensTheFileBuildsTheIndexesAndTheLoaderCarriesOnTheNormalWay(Vertx vertx, @TempDir Path dir)
            throws Exception {
        List<EventSigner> signers = List.of(EventSigner.random(), EventSigner.random(), EventSigner.random());
        List<Event> sequence = GroupCommitEquivalenceTest.interactingSequence(new Random(7), signers);
        List<Event> firstHalf = sequence.subList(0, sequence.size() / 2);
        List<Event> secondHalf = sequence.subList(sequence.size() / 2, sequence.size());
        Path normalFile = dir.resolve("normal.sqlite3");
        Path bulkFile = dir.resolve("bulk.sqlite3");
        SqliteEventStore normal = await(SqliteEventStore.open(vertx, options(normalFile)));
        SqliteEventStore loader = await(SqliteEventStore.openForBulkLoad(vertx, options(bulkFile)));
        for (Event event : firstHalf) {
            await(normal.store(event));
            await(loader.store(event));
        }
        // a relay starting on the file while the load runs (or the open after a killed import) builds the indexes
        SqliteEventStore relay = await(SqliteEventStore.open(vertx, options(bulkFile)));
        assertEquals(0, StoreTesting.longElsewhere(bulkFile, PENDING));
        assertEquals(StoreTesting.stringElsewhere(normalFile, INDEXES), StoreTesting.stringElsewhere(bulkFile, INDEXES));
        for (Event event : secondHalf) {
            assertEquals(await(normal.store(event)), await(loader.store(event)));
        }
        assertFalse(await(loader.completeIndexes()), "nothing left to build");
        assertSameDatabase(normalFile, bulkFile, "after the load");
        assertEquals(everything(normal), everything(relay));
        await(loader.close());
        await(relay.close());
        await(normal.close());
    }

    @Test
    void anExistingDatabaseIsLoadedTheNormalWay(Vertx vertx, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("existing.sqlite3");
        await(await(SqliteEventStore.open(vertx, options(file))).close());
        SqliteEventStore loader = await(SqliteEventStore.openForBulkLoad(vertx, options(file)));
        await(loader.store(EventSigner.random().sign(NOW, 1, List.of(List.of("t", "x")), "hello")));
        assertEquals(0, StoreTesting.longElsewhere(file, PENDING));
        assertEquals(1, StoreTesting.longElsewhere(file, "SELECT count(*) FROM tags"));
        assertFalse(await(loader.completeIndexes()));
        await(loader.close());
    }

    @Test
    void closingTheLoaderBuildsTheIndexes(Vertx vertx, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("closed.sqlite3");
        SqliteEventStore loader = await(SqliteEventStore.openForBulkLoad(vertx, options(file)));
        await(loader.store(EventSigner.random().sign(NOW, 1, List.of(List.of("t", "x")), "hello")));
        await(loader.close());
        assertEquals(0, StoreTesting.longElsewhere(file, PENDING));
        assertEquals(1, StoreTesting.longElsewhere(file, "SELECT count(*) FROM tags"));
        assertTrue(StoreTesting.stringElsewhere(file, INDEXES).contains("events_by_author"));
    }

    @Test
    void anExportWaitsForTheIndexesInsteadOfSortingEverything(Vertx vertx, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("exported.sqlite3");
        SqliteEventStore loader = await(SqliteEventStore.openForBulkLoad(vertx, options(file)));
        Event note = EventSigner.random().sign(NOW, 1, List.of(List.of("t", "x")), "hello");
        await(loader.store(note));
        StartupException refused = assertThrows(StartupException.class, () -> EventExporter.export(file,
                StoreTesting.filter(), NOW, new StringWriter()));
        assertTrue(refused.getMessage().contains("is being loaded by an import"), refused.getMessage());
        await(loader.completeIndexes());
        StringWriter out = new StringWriter();
        assertEquals(1, EventExporter.export(file, StoreTesting.filter(), NOW, out));
        assertEquals(note.toJson() + "\n", out.toString());
        await(loader.close());
    }

    private static void assertSameDatabase(Path expected, Path actual, String what) throws SQLException {
        assertEquals(StoreTesting.stringElsewhere(expected, INDEXES), StoreTesting.stringElsewhere(actual, INDEXES), what);
        assertEquals(StoreTesting.stringElsewhere(expected, TAG_ROWS), StoreTesting.stringElsewhere(actual, TAG_ROWS), what);
        assertEquals(0, StoreTesting.longElsewhere(actual, PENDING), what);
    }

    private static StoreOptions options(Path file) {
        return StoreOptions.forFile(file, 2, 1000);
    }

    private static List<String> everything(SqliteEventStore store) {
        return await(store.query(List.of(StoreTesting.filter()), ALL, NOW));
    }
}
