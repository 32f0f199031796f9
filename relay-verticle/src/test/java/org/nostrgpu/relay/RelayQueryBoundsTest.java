package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounds on one REQ's work: values per filter ({@code CLOSED "invalid: ..."} before anything runs) and the
 * query time budget (the SQLite statement is interrupted and the subscription closed with a reason), after which
 * the connection and the relay keep serving.
 */
@ExtendWith(VertxExtension.class)
class RelayQueryBoundsTest {
    private static final Limits LIMITS = new Limits(65_536, 20, 10, 500, 20, 4_000, 900, 0, 0);
    private static final int STORED = 1_500;

    @TempDir
    Path dataDir;

    @Test
    void aFilterWithTooManyValuesIsClosedBeforeItRuns(Vertx vertx) throws Exception {
        RelayNode relay = TestRelays.start(vertx, config(AbuseLimits.defaults().withoutRateLimits()
                .withQueryBounds(2, 1_000, 1)));
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            String three = "[\"" + "a1".repeat(32) + "\",\"" + "a2".repeat(32) + "\",\"" + "a3".repeat(32) + "\"]";
            client.send("[\"REQ\",\"many\",{\"authors\":" + three + "}]");
            JsonArray closed = client.next("CLOSED");
            assertEquals("many", closed.getString(1));
            assertEquals("invalid: too many values in one filter (authors: 3, at most 2)", closed.getString(2));
            assertEquals(List.of(), client.req("fine", "{\"authors\":[\"" + "a1".repeat(32) + "\"]}"));
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void aQueryPastTheTimeBudgetIsInterruptedAndClosedWithAReason(Vertx vertx) throws Exception {
        EventSigner author = EventSigner.random();
        RelayNode filling = TestRelays.start(vertx, config(AbuseLimits.defaults().withoutRateLimits()));
        try (RelayTestClient client = RelayTestClient.connect(vertx, filling.port())) {
            String content = "y".repeat(3_000);
            for (int i = 0; i < STORED; i++) {
                client.send(TestRelays.eventFrame(TestRelays.sign(author, 1, List.of(), i + content)));
            }
            for (int i = 0; i < STORED; i++) {
                assertTrue(client.next("OK").getBoolean(2));
            }
        } finally {
            filling.close().await(15, TimeUnit.SECONDS);
        }

        // the same data, now with a budget of 1 ms: joining 500 events of 3 KB takes longer than that
        RelayNode relay = TestRelays.start(vertx, config(AbuseLimits.defaults().withoutRateLimits()
                .withQueryBounds(1_000, 1, 1)));
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            client.send("[\"REQ\",\"heavy\",{\"kinds\":[1],\"limit\":500}]");
            JsonArray closed = client.next("CLOSED");
            assertEquals("heavy", closed.getString(1));
            assertEquals("error: the query ran past the relay's time budget; narrow the filters", closed.getString(2));
            client.publishAccepted(TestRelays.sign(author, 1, List.of(), "the connection still works"));
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    private RelayConfig config(AbuseLimits abuse) {
        return TestRelays.config(dataDir, LIMITS).withAbuse(abuse);
    }
}
