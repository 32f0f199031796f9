package org.nostrgpu.relay.housekeeping;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ExtendWith(VertxExtension.class)
class ExpiredEventCollectorTest {
    private static final long NOW = 1_700_000_000L;

    @Test
    void periodicallyRemovesWhatHasExpiredByTheClock(Vertx vertx, @TempDir Path dir) throws Exception {
        SqliteEventStore store = SqliteEventStore.open(vertx, StoreOptions.forFile(dir.resolve("gc.sqlite3"), 1, 100))
                .await(30, TimeUnit.SECONDS);
        EventSigner signer = EventSigner.random();
        Event soon = signer.sign(NOW - 10, 1, List.of(List.of("expiration", String.valueOf(NOW + 5))), "soon");
        Event later = signer.sign(NOW - 10, 1, List.of(List.of("expiration", String.valueOf(NOW + 500))), "later");
        Event never = signer.sign(NOW - 10, 1, List.of(), "never");
        for (Event event : List.of(soon, later, never)) {
            store.store(event).await(30, TimeUnit.SECONDS);
        }
        AtomicLong clock = new AtomicLong(NOW);
        ExpiredEventCollector collector = new ExpiredEventCollector(vertx, store, Duration.ofMillis(50), clock::get);
        assertEquals(0, collector.collectNow().await(30, TimeUnit.SECONDS));

        clock.set(NOW + 10);
        collector.start();
        // counted as of long ago, so only physically removed events drop out
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // generous: CI machines stall
        while (store.count(List.of(Filter.all()), NOW - 100).await(30, TimeUnit.SECONDS) != 2
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        collector.stop();
        assertEquals(2L, store.count(List.of(Filter.all()), NOW - 100).await(30, TimeUnit.SECONDS));
        collector.collectNow().await(30, TimeUnit.SECONDS); // joins a periodic run still in flight, if any
        clock.set(NOW + 1000);
        assertEquals(1, collector.collectNow().await(30, TimeUnit.SECONDS));
        assertEquals(1L, store.count(List.of(Filter.all()), NOW - 100).await(30, TimeUnit.SECONDS));
        store.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void refusesANonPositiveInterval(Vertx vertx) {
        assertThrows(IllegalArgumentException.class, () -> new ExpiredEventCollector(vertx, null, 0));
    }
}
