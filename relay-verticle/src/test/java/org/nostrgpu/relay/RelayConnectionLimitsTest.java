package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.sign;

/** The limits that act on the connection as a whole: EVENT rate, and messages far over the size limit. */
@ExtendWith(VertxExtension.class)
class RelayConnectionLimitsTest {
    static final int EVENTS_PER_SECOND = 3;
    static final Limits LIMITS = new Limits(4_096, 4, 3, 50, 20, 2_000, 900, 0, EVENTS_PER_SECOND);

    @TempDir
    static Path dataDir;
    static RelayNode relay;
    static Vertx vertx;

    @BeforeAll
    static void startRelay(Vertx v) throws Exception {
        vertx = v;
        relay = TestRelays.start(vertx, dataDir, LIMITS);
    }

    @AfterAll
    static void stopRelay() throws Exception {
        TestRelays.await(relay.close());
    }

    @Test
    void eventsOverTheRateAreRefusedUntilTheBucketRefills() throws Exception {
        EventSigner author = EventSigner.random();
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            for (int i = 0; i < EVENTS_PER_SECOND; i++) {
                client.publishAccepted(sign(author, 1, List.of(), "within rate " + i));
            }
            JsonArray limited = client.publish(sign(author, 1, List.of(), "too fast"));
            assertFalse(limited.getBoolean(2));
            assertTrue(limited.getString(3).startsWith("rate-limited: "), limited.encode());

            Thread.sleep(1_000 / EVENTS_PER_SECOND + 100);
            client.publishAccepted(sign(author, 1, List.of(), "after waiting"));
            // the limit is per connection: another connection is not affected
            try (RelayTestClient other = RelayTestClient.connect(vertx, relay.port())) {
                other.publishAccepted(sign(author, 1, List.of(), "other connection"));
            }
            // REQs are not rate limited
            assertEquals(EVENTS_PER_SECOND + 2,
                    client.req("all", "{\"authors\":[\"" + author.pubkey() + "\"]}").size());
        }
    }

    @Test
    void aSingleFrameFarOverTheLimitDropsTheConnection() throws Exception {
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            client.send(hugeReq());
            short status = client.awaitClosedByRelay();
            assertTrue(status == 1006 || status == 1009, "closed with " + status);
        }
        assertRelayStillServes();
    }

    @Test
    void aFragmentedMessageFarOverTheLimitIsClosedWithStatus1009() throws Exception {
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port(), 1_024)) {
            client.send(hugeReq());
            assertEquals(1009, client.awaitClosedByRelay());
        }
        assertRelayStillServes();
    }

    private static String hugeReq() {
        return "[\"REQ\",\"huge\",{\"search\":\"" + "x".repeat(3 * LIMITS.maxMessageBytes()) + "\"}]";
    }

    private static void assertRelayStillServes() throws Exception {
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            client.publishAccepted(sign(EventSigner.random(), 1, List.of(), "after a huge message"));
        }
    }
}
