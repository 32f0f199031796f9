package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.sign;

/**
 * The limits that act on the connection as a whole, each against a relay of its own: oversized messages and bad
 * UTF-8 (WebSocket closes 1009 and 1007), connections per address, unfinished HTTP requests, idle connections and
 * connections that answer no ping.
 */
@ExtendWith(VertxExtension.class)
class RelayConnectionLimitsTest {
    static final Limits LIMITS = new Limits(4_096, 4, 3, 50, 20, 2_000, 900, 0, 0);
    /** Nothing closes a connection in these tests but what the test is about. */
    static final AbuseLimits QUIET = AbuseLimits.defaults().withoutRateLimits().withTimeouts(0, 0, 10);

    @TempDir
    Path dataDir;

    /** In one frame (up to the decoder's ceiling) or in many, a message far over the limit is closed with 1009. */
    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 1_024})
    void aMessageFarOverTheLimitIsClosedWith1009(int clientFrameSize, Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, QUIET);
        try {
            try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port(), clientFrameSize)) {
                client.send(hugeReq());
                assertEquals(1009, client.awaitClosedByRelay());
            }
            assertRelayStillServes(vertx, relay);
        } finally {
            close(relay);
        }
    }

    /**
     * One frame beyond the decoder's ceiling (eight times the limit) is refused by the decoder, after which Vert.x
     * drops the TCP connection; the relay sends its 1009 close frame first, which a client reads unless the drop
     * resets the connection before that (it then reports 1006).
     */
    @Test
    void aFrameBeyondTheDecodersCeilingEndsTheConnectionAndTheRelayGoesOn(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, QUIET);
        try {
            try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port(), 1 << 20)) {
                client.send("[\"REQ\",\"huge\",{\"search\":\"" + "x".repeat(10 * LIMITS.maxMessageBytes()) + "\"}]");
                short status = client.awaitClosedByRelay();
                System.out.println("a frame beyond the decoder's ceiling: the client saw close status " + status);
                assertTrue(status == 1009 || status == 1006, "closed with " + status);
            }
            assertRelayStillServes(vertx, relay);
        } finally {
            close(relay);
        }
    }

    @Test
    void aTextMessageThatIsNotUtf8IsClosedWith1007(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, QUIET);
        try {
            try (RawWebSocket raw = RawWebSocket.upgraded(relay.port())) {
                byte[] frame = "[\"REQ\",\"x\",{\"#t\":[\"??\"]}]".getBytes();
                frame[frame.length - 6] = (byte) 0xC3; // a lead byte followed by "(" is malformed
                frame[frame.length - 5] = (byte) 0x28;
                raw.sendFrame(RawWebSocket.TEXT, true, frame);
                assertEquals(1007, raw.awaitClose());
            }
            try (RawWebSocket raw = RawWebSocket.upgraded(relay.port())) {
                raw.sendFrame(RawWebSocket.TEXT, false, "[\"REQ\",\"x\",{\"#t\":[\"".getBytes());
                raw.sendFrame(0, true, new byte[]{(byte) 0xE2, (byte) 0x82, '"', ']', '}', ']'}); // cut in a character
                assertEquals(1007, raw.awaitClose(), "also across fragments");
            }
            assertRelayStillServes(vertx, relay);
        } finally {
            close(relay);
        }
    }

    @Test
    void connectionsPastTheAddressCapAreClosedWhenAccepted(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, QUIET.withMaxConnectionsPerIp(3));
        List<RawWebSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(RawWebSocket.upgraded(relay.port()));
            }
            try (RawWebSocket fourth = RawWebSocket.open(relay.port())) {
                assertTrue(fourth.closedByRelay(), "a fourth connection from the address was kept");
            }
            open.remove(0).close();
            Eventually.await("a connection is free again", () -> {
                try (RawWebSocket again = RawWebSocket.upgraded(relay.port())) {
                    return true;
                } catch (Exception refused) {
                    return false;
                }
            });
        } finally {
            for (RawWebSocket socket : open) {
                socket.close();
            }
            close(relay);
        }
    }

    @Test
    void anUnfinishedHttpRequestIsClosedAfterTheUpgradeTimeout(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, QUIET.withTimeouts(0, 0, 1));
        try (RawWebSocket slow = RawWebSocket.open(relay.port())) {
            slow.sendRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"); // never finished
            assertTrue(slow.closedByRelay(), "the half-sent request was held open");
        } finally {
            close(relay);
        }
    }

    @Test
    void anIdleConnectionIsClosedButASubscriberIsNot(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, QUIET.withTimeouts(1, 0, 10));
        try (RelayTestClient idle = RelayTestClient.connect(vertx, relay.port());
             RelayTestClient subscriber = RelayTestClient.connect(vertx, relay.port())) {
            subscriber.req("live", "{\"kinds\":[1]}");
            assertEquals(1000, idle.awaitClosedByRelay());
            subscriber.expectSilence(1_500);
            EventSigner author = EventSigner.random();
            try (RelayTestClient publisher = RelayTestClient.connect(vertx, relay.port())) {
                publisher.publishAccepted(sign(author, 1, List.of(), "to the subscriber"));
            }
            assertEquals("EVENT", subscriber.next().getString(0), "the subscriber is still connected");
        } finally {
            close(relay);
        }
    }

    @Test
    void aConnectionThatAnswersNoPingIsClosedAndOneThatDoesIsKept(Vertx vertx) throws Exception {
        RelayNode relay = start(vertx, QUIET.withTimeouts(0, 1, 10));
        try (RelayTestClient answering = RelayTestClient.connect(vertx, relay.port());
             RawWebSocket silent = RawWebSocket.upgraded(relay.port())) {
            RawWebSocket.Frame frame = silent.readFrame();
            while (frame != null && frame.opcode() == RawWebSocket.TEXT) {
                frame = silent.readFrame(); // the AUTH challenge
            }
            assertEquals(RawWebSocket.PING, frame.opcode(), "the relay pings");
            assertEquals(1001, silent.awaitClose());
            answering.req("still", "{\"kinds\":[1],\"limit\":0}"); // Vert.x answers pings by itself
        } finally {
            close(relay);
        }
    }

    private RelayNode start(Vertx vertx, AbuseLimits abuse) throws Exception {
        return TestRelays.start(vertx, TestRelays.config(dataDir, LIMITS).withAbuse(abuse));
    }

    private static void close(RelayNode relay) throws Exception {
        relay.close().await(15, TimeUnit.SECONDS);
    }

    private static String hugeReq() {
        return "[\"REQ\",\"huge\",{\"search\":\"" + "x".repeat(3 * LIMITS.maxMessageBytes()) + "\"}]";
    }

    private static void assertRelayStillServes(Vertx vertx, RelayNode relay) throws Exception {
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            client.publishAccepted(sign(EventSigner.random(), 1, List.of(), "after a bad message"));
        }
        assertFalse(relay.verificationPath().isEmpty());
    }
}
