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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;

@ExtendWith(VertxExtension.class)
class KnownIdsTest {
    private final EventSigner alice = EventSigner.random();

    @Test
    void loadsEveryStoredIdAcrossChunksAndOnlyThenAnswersCertainlyUnknown(Vertx vertx, @TempDir Path dir)
            throws Exception {
        StoreOptions options = StoreOptions.forFile(dir.resolve("nostr.sqlite3"), 1, 100);
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            stored.add(alice.sign(NOW - 100 + i, 1, List.of(), "note " + i));
        }
        SqliteEventStore store = await(SqliteEventStore.open(vertx, options));
        await(Future.all(stored.stream().map(store::store).toList()));
        await(store.close());

        SqliteThreads readers = new SqliteThreads("sqlite-reader", 1, SqliteDataSources.reader(options));
        KnownIds known = KnownIds.load(readers, 0, 10); // chunks of 10, 10 and 5
        assertEquals(25L, await(known.loaded()));
        for (Event event : stored) {
            assertFalse(known.certainlyUnknown(event.id()), event.id());
        }
        Event other = alice.sign(NOW, 1, List.of(), "not stored");
        int certain = 0;
        for (int i = 0; i < 20; i++) {
            if (known.certainlyUnknown(alice.sign(NOW + i, 1, List.of(), "other " + i).id())) {
                certain++;
            }
        }
        assertEquals(20, certain, "with 25 ids in a 65 536-id layer a false positive has a chance of about 1e-25");
        known.add(other.id());
        assertFalse(known.certainlyUnknown(other.id()));
        await(readers.close());
    }
}
