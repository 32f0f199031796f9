package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RateLimit;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.sign;

/**
 * EVENT and REQ/COUNT token buckets, per connection and per address (all test connections come from 127.0.0.1):
 * {@code OK false "rate-limited: ..."} and {@code CLOSED "rate-limited: ..."} past them, service again once they
 * refill.
 */
@ExtendWith(VertxExtension.class)
class RelayRateLimitsTest {
    private static final int EVENTS_PER_SECOND = 3;

    @TempDir
    Path dataDir;

    private final EventSigner author = EventSigner.random();

    @Test
    void eventsOverAConnectionsRateAreRefusedUntilItsBucketRefills(Vertx vertx) throws Exception {
        Limits limits = new Limits(4_096, 4, 3, 50, 20, 2_000, 900, 0, EVENTS_PER_SECOND);
        AbuseLimits abuse = new AbuseLimits(EVENTS_PER_SECOND, RateLimit.UNLIMITED, RateLimit.UNLIMITED,
                RateLimit.UNLIMITED, 100, 0, 0, 10, 1 << 20, 64, 1_000, 1_000, 1,
                AbuseLimits.DEFAULT_NEGENTROPY_BUDGET_MILLIS);
        RelayNode relay = TestRelays.start(vertx, TestRelays.config(dataDir, limits).withAbuse(abuse));
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            for (int i = 0; i < EVENTS_PER_SECOND; i++) {
                client.publishAccepted(sign(author, 1, List.of(), "within rate " + i));
            }
            assertRateLimited(client.publish(sign(author, 1, List.of(), "too fast")), "per connection");

            Thread.sleep(1_000 / EVENTS_PER_SECOND + 100);
            client.publishAccepted(sign(author, 1, List.of(), "after waiting"));
            try (RelayTestClient other = RelayTestClient.connect(vertx, relay.port())) {
                other.publishAccepted(sign(author, 1, List.of(), "another connection has its own bucket"));
            }
            assertEquals(EVENTS_PER_SECOND + 2, client.req("all", TestRelays.authorFilter(author, "")).size(),
                    "REQs have their own bucket");
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void eventsOverTheAddressesRateAreRefusedOnEveryConnectionOfIt(Vertx vertx) throws Exception {
        AbuseLimits abuse = AbuseLimits.defaults().withoutRateLimits().withEventsPerIp(new RateLimit(1, 4));
        RelayNode relay = TestRelays.start(vertx, TestRelays.config(dataDir, TestRelays.LIMITS).withAbuse(abuse));
        try (RelayTestClient first = RelayTestClient.connect(vertx, relay.port());
             RelayTestClient second = RelayTestClient.connect(vertx, relay.port())) {
            for (int i = 0; i < 3; i++) {
                first.publishAccepted(sign(author, 1, List.of(), "first " + i));
            }
            second.publishAccepted(sign(author, 1, List.of(), "the address's fourth"));
            assertRateLimited(second.publish(sign(author, 1, List.of(), "the address's fifth")), "from one address");
            assertRateLimited(first.publish(sign(author, 1, List.of(), "and on the other connection")),
                    "from one address");
            assertTrue(relay.connectionGuards().rateLimited() >= 2);
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void reqAndCountOverTheirRatesAreClosed(Vertx vertx) throws Exception {
        AbuseLimits abuse = AbuseLimits.defaults().withoutRateLimits()
                .withReqs(new RateLimit(1, 2), new RateLimit(1, 3));
        RelayNode relay = TestRelays.start(vertx, TestRelays.config(dataDir, TestRelays.LIMITS).withAbuse(abuse));
        try (RelayTestClient first = RelayTestClient.connect(vertx, relay.port());
             RelayTestClient second = RelayTestClient.connect(vertx, relay.port())) {
            first.req("a", "{\"kinds\":[1],\"limit\":1}");
            first.send("[\"COUNT\",\"b\",{\"kinds\":[1]}]");
            assertEquals("COUNT", first.next().getString(0));
            first.send("[\"REQ\",\"c\",{\"kinds\":[1]}]");
            assertClosedRateLimited(first.next(), "c", "per connection");

            second.req("d", "{\"kinds\":[1],\"limit\":1}"); // the address's third
            second.send("[\"COUNT\",\"e\",{\"kinds\":[1]}]");
            assertClosedRateLimited(second.next(), "e", "from one address");
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    private static void assertRateLimited(JsonArray ok, String scope) {
        assertFalse(ok.getBoolean(2), ok.encode());
        assertTrue(ok.getString(3).startsWith("rate-limited: ") && ok.getString(3).contains(scope), ok.encode());
    }

    private static void assertClosedRateLimited(JsonArray closed, String id, String scope) {
        assertEquals("CLOSED", closed.getString(0), closed.encode());
        assertEquals(id, closed.getString(1));
        assertTrue(closed.getString(2).startsWith("rate-limited: ") && closed.getString(2).contains(scope),
                closed.encode());
    }
}
