package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.relay.connection.ConnectionGuards;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that never read: one sending small REQs for stored events (each answer about 200 KB), and live
 * subscribers during a flood of events. Each is disconnected once its unsent output would pass
 * {@code max-outbound-bytes-per-connection}, after a NOTICE that says why, so no connection ever holds more than the
 * bound plus one answer of the relay's memory.
 */
@ExtendWith(VertxExtension.class)
class RelaySlowReaderTest {
    private static final long BOUND = 256 * 1024;
    private static final Limits LIMITS = new Limits(16_384, 20, 3, 500, 20, 8_000, 900, 0, 0);
    private static final int STORED = 100;
    private static final String CONTENT = "x".repeat(2_000);

    @TempDir
    Path dataDir;

    @Test
    void aClientThatNeverReadsButKeepsAskingIsDisconnected(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx);
        try {
            EventSigner author = EventSigner.random();
            publishStored(vertx, relay, author, STORED);
            long answerBytes = STORED * (CONTENT.length() + 400L);
            try (RawWebSocket reader = RawWebSocket.upgraded(relay.port())) {
                for (int i = 0; i < 400 && guards(relay).slowReadersDisconnected() == 0; i++) {
                    reader.sendText("[\"REQ\",\"x" + (i % 20) + "\",{\"kinds\":[1]}]");
                }
                Eventually.await("the non-reading client is disconnected",
                        () -> guards(relay).slowReadersDisconnected() == 1);
                assertTrue(guards(relay).highestPendingOutput() <= BOUND + answerBytes,
                        "unsent output reached " + guards(relay).highestPendingOutput());
                assertNoticeThenClose(reader);
            }
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void liveSubscribersThatNeverReadAreDisconnectedDuringAFlood(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx);
        List<RawWebSocket> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawWebSocket subscriber = RawWebSocket.upgraded(relay.port());
                subscriber.sendText("[\"REQ\",\"live\",{\"kinds\":[1],\"limit\":0}]");
                subscribers.add(subscriber);
            }
            EventSigner author = EventSigner.random();
            try (RelayTestClient publisher = RelayTestClient.connect(vertx, relay.port())) {
                for (int i = 0; i < 5_000 && guards(relay).slowReadersDisconnected() < 3; i++) {
                    publisher.publishAccepted(TestRelays.sign(author, 1, List.of(), i + CONTENT));
                }
            }
            assertEquals(3, guards(relay).slowReadersDisconnected());
            assertTrue(guards(relay).highestPendingOutput() <= BOUND + CONTENT.length() + 400,
                    "unsent output reached " + guards(relay).highestPendingOutput());
            for (RawWebSocket subscriber : subscribers) {
                assertNoticeThenClose(subscriber);
            }
        } finally {
            for (RawWebSocket subscriber : subscribers) {
                subscriber.close();
            }
            relay.close().await(15, TimeUnit.SECONDS);
        }
    }

    private RelayNode start(Vertx vertx) throws Exception {
        AbuseLimits abuse = AbuseLimits.defaults().withoutRateLimits().withMaxOutboundBytesPerConnection(BOUND);
        return TestRelays.start(vertx, TestRelays.config(dataDir, LIMITS).withAbuse(abuse));
    }

    private static ConnectionGuards guards(RelayNode relay) {
        return relay.connectionGuards();
    }

    private static void publishStored(Vertx vertx, RelayNode relay, EventSigner author, int count) throws Exception {
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            for (int i = 0; i < count; i++) {
                Event event = TestRelays.sign(author, 1, List.of(), i + CONTENT);
                client.publishAccepted(event);
            }
        }
    }

    /** Reading at last: what was sent before the cut, then the NOTICE saying why, then the close with 1008. */
    private static void assertNoticeThenClose(RawWebSocket client) throws Exception {
        boolean noticed = false;
        for (RawWebSocket.Frame frame = client.readFrame(); frame != null; frame = client.readFrame()) {
            if (frame.opcode() == RawWebSocket.CLOSE) {
                assertTrue(noticed, "closed without the NOTICE");
                assertEquals(1008, frame.closeStatus());
                return;
            }
            if (frame.opcode() == RawWebSocket.TEXT && frame.text().startsWith("[\"NOTICE\"")) {
                assertTrue(frame.text().contains("error: this connection is not reading fast enough"), frame.text());
                noticed = true;
            }
        }
        throw new AssertionError("the connection ended without a close frame");
    }
}
