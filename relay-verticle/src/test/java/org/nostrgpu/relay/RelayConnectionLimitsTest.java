package org.nostrgpu.relay;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.EventSigner;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.sign;

/** The limits that act on the connection as a whole: EVENT rate, and messages far over the size limit. */
class RelayConnectionLimitsTest {
    static final int EVENTS_PER_SECOND = 3;
    static final Limits LIMITS = new Limits(4_096, 4, 3, 50, 20, 2_000, 900, 0, EVENTS_PER_SECOND);

    @RegisterExtension
    static final SharedRelay RELAY = new SharedRelay(LIMITS);

    @Test
    void eventsOverTheRateAreRefusedUntilTheBucketRefills() throws Exception {
        EventSigner author = EventSigner.random();
        try (RelayTestClient client = RELAY.connect()) {
            for (int i = 0; i < EVENTS_PER_SECOND; i++) {
                client.publishAccepted(sign(author, 1, List.of(), "within rate " + i));
            }
            JsonArray limited = client.publish(sign(author, 1, List.of(), "too fast"));
            assertFalse(limited.getBoolean(2));
            assertTrue(limited.getString(3).startsWith("rate-limited: "), limited.encode());

            Thread.sleep(1_000 / EVENTS_PER_SECOND + 100);
            client.publishAccepted(sign(author, 1, List.of(), "after waiting"));
            // the limit is per connection: another connection is not affected
            try (RelayTestClient other = RELAY.connect()) {
                other.publishAccepted(sign(author, 1, List.of(), "other connection"));
            }
            // REQs are not rate limited
            assertEquals(EVENTS_PER_SECOND + 2,
                    client.req("all", "{\"authors\":[\"" + author.pubkey() + "\"]}").size());
        }
    }

    @Test
    void aSingleFrameFarOverTheLimitDropsTheConnection() throws Exception {
        try (RelayTestClient client = RELAY.connect()) {
            client.send(hugeReq());
            short status = client.awaitClosedByRelay();
            assertTrue(status == 1006 || status == 1009, "closed with " + status);
        }
        assertRelayStillServes();
    }

    @Test
    void aFragmentedMessageFarOverTheLimitIsClosedWithStatus1009() throws Exception {
        try (RelayTestClient client = RelayTestClient.connect(RELAY.vertx(), RELAY.port(), 1_024)) {
            client.send(hugeReq());
            assertEquals(1009, client.awaitClosedByRelay());
        }
        assertRelayStillServes();
    }

    private static String hugeReq() {
        return "[\"REQ\",\"huge\",{\"search\":\"" + "x".repeat(3 * LIMITS.maxMessageBytes()) + "\"}]";
    }

    private static void assertRelayStillServes() throws Exception {
        try (RelayTestClient client = RELAY.connect()) {
            client.publishAccepted(sign(EventSigner.random(), 1, List.of(), "after a huge message"));
        }
    }
}
