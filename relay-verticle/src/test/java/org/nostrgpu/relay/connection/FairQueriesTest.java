package org.nostrgpu.relay.connection;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FairQueriesTest {
    private final List<String> started = new ArrayList<>();
    private final List<Promise<String>> running = new ArrayList<>();

    @Test
    void queriesBeyondTheSlotsWaitAndFailuresFreeTheirSlot() {
        FairQueries queries = new FairQueries(1);
        Future<String> first = submit(queries, "a", "a1");
        Future<String> second = submit(queries, "a", "a2");
        assertEquals(List.of("a1"), started, "one slot: one query runs");
        running.get(0).fail("interrupted");
        assertTrue(first.failed());
        assertEquals(List.of("a1", "a2"), started, "a failed query frees its slot");
        running.get(1).complete("done");
        assertEquals("done", second.result());
    }

    @Test
    void waitingQueriesAreTakenRoundRobinByAddress() {
        FairQueries queries = new FairQueries(1);
        submit(queries, "attacker", "x0");
        for (int i = 1; i <= 3; i++) {
            submit(queries, "attacker", "x" + i);
        }
        submit(queries, "other", "o1");
        for (int i = 0; i < 5; i++) {
            running.get(i).complete("done");
        }
        assertEquals(List.of("x0", "x1", "o1", "x2", "x3"), started,
                "the other address's query runs after one of the attacker's, not after all of them");
    }

    private Future<String> submit(FairQueries queries, String address, String name) {
        return queries.submit(address, () -> {
            started.add(name);
            Promise<String> query = Promise.promise();
            running.add(query);
            return query.future();
        });
    }
}
