package org.nostrgpu.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * NIP-77 NEG-OPEN under the bounds of a REQ: its items are read by the store's readers within
 * {@code negentropy-budget-ms} (past it the session ends with {@code NEG-ERR "error: ..."} and the connection keeps
 * working), and in the connection's turn for stored queries ({@code max-concurrent-queries-per-connection}).
 */
@ExtendWith(VertxExtension.class)
class NegentropyQueryBoundsTest {
    /** Enough events that reading their items takes far longer than 1 ms, few enough to sign quickly. */
    private static final int STORED = 10_000;
    /** A client with no items asks for everything: version 1, one range to infinity, an empty id list. */
    private static final String EMPTY_SET = "6100000200";

    @TempDir
    Path dataDir;

    @Test
    void aNegOpenPastItsBudgetGetsNegErrAndTheConnectionKeepsWorking(Vertx vertx) throws Exception {
        List<Event> events = storeEvents(vertx);
        RelayNode relay = TestRelays.start(vertx, TestRelays.config(dataDir, TestRelays.LIMITS)
                .withAbuse(AbuseLimits.defaults().withoutRateLimits().withNegentropyBudgetMillis(1)));
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            client.send("[\"NEG-OPEN\",\"everything\",{},\"" + EMPTY_SET + "\"]");
            JsonArray error = client.next("NEG-ERR");
            assertEquals("everything", error.getString(1));
            assertEquals("error: loading the events matching this filter ran past the relay's negentropy time budget"
                    + " (1 ms); narrow the filter", error.getString(2));

            // a narrow session on the same connection still opens; REQs and EVENTs are still served
            client.send("[\"NEG-OPEN\",\"one\",{\"ids\":[\"" + events.get(0).id() + "\"]},\"" + EMPTY_SET + "\"]");
            assertEquals("one", client.next("NEG-MSG").getString(1));
            List<JsonArray> stored = client.req("latest", "{\"ids\":[\"" + events.get(1).id() + "\"]}");
            assertEquals(1, stored.size());
            client.publishAccepted(TestRelays.sign(EventSigner.random(), 1, List.of(), "still working"));
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReqSentAfterANegOpenWaitsForItsTurnLikeAfterAnotherReq(Vertx vertx) throws Exception {
        storeEvents(vertx);
        // one stored query per connection at a time (the default), with two read connections on the node: without
        // the connection's turn the REQ below, which reads nothing, would be answered while the items are read
        RelayNode relay = TestRelays.start(vertx, TestRelays.config(dataDir, TestRelays.LIMITS)
                .withAbuse(AbuseLimits.defaults().withoutRateLimits().withQueryBounds(1_000, 1_000, 1)));
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            client.send("[\"NEG-OPEN\",\"everything\",{},\"" + EMPTY_SET + "\"]");
            client.send("[\"REQ\",\"nothing\",{\"kinds\":[7]}]");
            JsonArray first = client.next();
            assertEquals("NEG-MSG", first.getString(0), first.encode());
            assertEquals("everything", first.getString(1));
            JsonArray second = client.next();
            assertEquals(List.of("EOSE", "nothing"), second.getList(), second.encode());
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    /** Signed events written to the relay's database file before it starts: far quicker than publishing them. */
    private List<Event> storeEvents(Vertx vertx) throws Exception {
        EventSigner author = EventSigner.random();
        long now = TestRelays.now();
        List<Event> events = new ArrayList<>(STORED);
        for (int i = 0; i < STORED; i++) {
            events.add(author.sign(now - STORED + i, 1, List.of(), "item " + i));
        }
        SqliteEventStore store = SqliteEventStore.open(vertx,
                StoreOptions.forFile(dataDir.resolve(StoreOptions.FILE_NAME), 1, 1_000)).await(30, TimeUnit.SECONDS);
        try {
            Future.all(store.storeAll(events)).await(60, TimeUnit.SECONDS);
        } finally {
            store.close().await(30, TimeUnit.SECONDS);
        }
        return events;
    }
}
