package org.nostrgpu.relay.sync;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session whose client goes quiet is dropped with NEG-ERR "closed: ...", and its id is free again. */
class NegentropySessionsTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private SqliteEventStore store;
    private NegentropyService service;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Path file = dir.resolve(StoreOptions.FILE_NAME);
        store = SqliteEventStore.open(vertx, StoreOptions.forFile(file, 1, 10)).await(30, TimeUnit.SECONDS);
        service = new NegentropyService(vertx, store::negentropyItems,
                new NegentropyService.NegentropyLimits(100, 2, 4_096, 1, 10_000),
                () -> System.currentTimeMillis() / 1000);
    }

    @AfterEach
    void stop() throws Exception {
        service.close().await(30, TimeUnit.SECONDS);
        store.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void aQuietSessionIsClosedAndForgotten() throws Exception {
        NegentropySessions sessions = service.sessionsFor(new NegentropySessions.Replies() {
            @Override
            public void message(String subscriptionId, String hexMessage) {
                replies.add("MSG " + subscriptionId + " " + hexMessage);
            }

            @Override
            public void error(String subscriptionId, String reason) {
                replies.add("ERR " + subscriptionId + " " + reason);
            }
        }, read -> read.get());
        sessions.open("quiet", Filter.all(), "6100000200");
        // a responder answers an id list with its own, here of no ids either
        assertEquals("MSG quiet 6100000200", replies.poll(10, TimeUnit.SECONDS));
        assertEquals(1, sessions.openSessions());
        String dropped = replies.poll(20, TimeUnit.SECONDS);
        assertNotNull(dropped, "the idle session was not dropped");
        assertTrue(dropped.startsWith("ERR quiet closed: "), dropped);
        assertEquals(0, sessions.openSessions());
        sessions.message("quiet", "61");
        assertTrue(replies.poll(10, TimeUnit.SECONDS).startsWith("ERR quiet closed: no open negentropy session"));
    }
}
