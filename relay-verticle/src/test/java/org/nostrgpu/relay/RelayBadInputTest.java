package org.nostrgpu.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nostrgpu.common.event.Event;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.LIMITS;
import static org.nostrgpu.relay.TestRelays.sign;

/**
 * Every class of bad input gets its protocol answer (NOTICE, CLOSED or OK false with the standard prefix), and
 * the connection keeps working afterwards: each test ends by running a good REQ on the same connection.
 */
class RelayBadInputTest extends ClientPerTest {
    @RegisterExtension
    static final SharedRelay RELAY = new SharedRelay(LIMITS);

    @Override
    SharedRelay relay() {
        return RELAY;
    }

    @AfterEach
    void connectionStillUsable() throws Exception {
        Event probe = sign(author, 1, List.of(), "still usable");
        client.publishAccepted(probe);
        List<JsonArray> found = client.req("usable-check", "{\"ids\":[\"" + probe.id() + "\"]}");
        assertEquals(1, found.size(), "the connection must keep working after bad input");
        client.send("[\"CLOSE\",\"usable-check\"]");
    }

    private void expectNotice(String frame, String containing) throws Exception {
        client.send(frame);
        JsonArray notice = client.next("NOTICE");
        assertEquals(2, notice.size());
        assertTrue(notice.getString(1).startsWith("invalid: "), notice.encode());
        assertTrue(notice.getString(1).contains(containing), notice.encode());
    }

    private void expectClosed(String frame, String subscriptionId, String prefix) throws Exception {
        client.send(frame);
        JsonArray closed = client.next("CLOSED");
        assertEquals(3, closed.size());
        assertEquals(subscriptionId, closed.getString(1));
        assertTrue(closed.getString(2).startsWith(prefix), closed.encode());
    }

    private void expectRefused(Event event, String message) throws Exception {
        JsonArray ok = client.publish(event);
        assertFalse(ok.getBoolean(2), ok.encode());
        assertTrue(ok.getString(3).startsWith(message), ok.encode());
    }

    @Test
    void unparseableJsonGetsANotice() throws Exception {
        expectNotice("[\"REQ\",\"x\",{", "not valid JSON");
        expectNotice("not json at all", "not valid JSON");
    }

    @Test
    void messagesThatAreNotTypedArraysGetANotice() throws Exception {
        expectNotice("{\"type\":\"REQ\"}", "JSON array");
        expectNotice("[42]", "type");
        expectNotice("[]", "type");
    }

    @Test
    void unknownMessageTypeGetsANoticeNamingIt() throws Exception {
        expectNotice("[\"HELLO\",\"relay\"]", "\"HELLO\"");
        expectNotice("[\"AUTH\",\"challenge\"]", "event must be a JSON object"); // AUTH carries an event (NIP-42)
    }

    @Test
    void binaryFramesGetANotice() throws Exception {
        client.sendBinary(Buffer.buffer("[\"REQ\",\"b\",{}]"));
        JsonArray notice = client.next("NOTICE");
        assertTrue(notice.getString(1).contains("binary"), notice.encode());
    }

    @Test
    void malformedEventWithAWellFormedIdGetsOkFalse() throws Exception {
        Event event = sign(author, 1, List.of(), "x");
        String broken = event.toJson().replace("\"kind\":1", "\"kind\":\"1\"");
        client.send("[\"EVENT\"," + broken + "]");
        JsonArray ok = client.next("OK");
        RelayTestClient.assertOkShape(ok, event.id());
        assertFalse(ok.getBoolean(2));
        assertTrue(ok.getString(3).startsWith("invalid: kind"), ok.encode());
    }

    @Test
    void malformedEventWithoutAUsableIdGetsANotice() throws Exception {
        expectNotice("[\"EVENT\",{\"id\":\"nothex\",\"kind\":1}]", "id");
        expectNotice("[\"EVENT\",\"not an object\"]", "object");
    }

    @Test
    void idThatDoesNotMatchTheContentIsRefused() throws Exception {
        expectRefused(TestRelays.withTamperedContent(sign(author, 1, List.of(), "original")),
                "invalid: event id does not match");
    }

    @Test
    void badSignatureIsRefusedAndTheEventIsNeitherStoredNorFannedOut() throws Exception {
        Event forged = TestRelays.withBadSignature(sign(author, 1, List.of(), "forged"));
        try (RelayTestClient watcher = RELAY.connect()) {
            watcher.req("watch", "{\"authors\":[\"" + author.pubkey() + "\"],\"kinds\":[1]}");
            expectRefused(forged, "invalid: bad signature");
            assertEquals(List.of(), client.req("lookup", "{\"ids\":[\"" + forged.id() + "\"]}"));
            client.send("[\"COUNT\",\"cnt\",{\"ids\":[\"" + forged.id() + "\"]}]");
            assertEquals(0, client.next("COUNT").getJsonObject(2).getLong("count"));
            watcher.expectSilence(300);
        }
        client.send("[\"CLOSE\",\"lookup\"]");
    }

    @Test
    void tooManyTagsIsRefused() throws Exception {
        List<List<String>> tags = new ArrayList<>();
        for (int i = 0; i <= LIMITS.maxTags(); i++) {
            tags.add(List.of("t", "tag" + i));
        }
        expectRefused(sign(author, 1, tags, "tagged"), "invalid: too many tags");
    }

    @Test
    void contentOverTheLimitIsRefused() throws Exception {
        expectRefused(sign(author, 1, List.of(), "é".repeat(LIMITS.maxContentBytes() / 2 + 1)),
                "invalid: content too large");
    }

    @Test
    void createdAtOutsideTheWindowIsRefused() throws Exception {
        long now = TestRelays.now();
        expectRefused(author.sign(now + LIMITS.maxFutureSeconds() + 60, 1, List.of(), "future"),
                "invalid: created_at is too far in the future");
        expectRefused(author.sign(now - LIMITS.maxPastSeconds() - 60, 1, List.of(), "past"),
                "invalid: created_at is too far in the past");
    }

    @Test
    void tooManySubscriptionsIsRefusedUntilOneIsClosed() throws Exception {
        for (int i = 0; i < LIMITS.maxSubscriptionsPerConnection(); i++) {
            client.req("open" + i, "{\"limit\":0}");
        }
        expectClosed("[\"REQ\",\"one-too-many\",{\"limit\":0}]", "one-too-many", "rate-limited: ");
        // replacing an open subscription is not a new one
        assertEquals(List.of(), client.req("open0", "{\"limit\":0}"));
        client.send("[\"CLOSE\",\"open1\"]");
        assertEquals(List.of(), client.req("now-fits", "{\"limit\":0}"));
        for (String id : List.of("open0", "open2", "open3", "now-fits")) {
            client.send("[\"CLOSE\",\"" + id + "\"]");
        }
    }

    @Test
    void tooManyFiltersIsRefused() throws Exception {
        String filters = String.join(",", java.util.Collections.nCopies(LIMITS.maxFiltersPerReq() + 1, "{}"));
        expectClosed("[\"REQ\",\"many\"," + filters + "]", "many", "invalid: too many filters");
        expectClosed("[\"COUNT\",\"many\"," + filters + "]", "many", "invalid: too many filters");
    }

    @Test
    void badFiltersAreRefusedWithClosed() throws Exception {
        expectClosed("[\"REQ\",\"f1\",{\"ids\":[\"abc\"]}]", "f1", "invalid: ");
        expectClosed("[\"REQ\",\"f2\",{\"kinds\":\"1\"}]", "f2", "invalid: ");
        expectClosed("[\"REQ\",\"f3\",\"not a filter\"]", "f3", "invalid: ");
        expectClosed("[\"REQ\",\"f4\"]", "f4", "invalid: ");
        expectClosed("[\"COUNT\",\"f5\",{\"limit\":\"ten\"}]", "f5", "invalid: ");
    }

    @Test
    void badSubscriptionIdsAreRefused() throws Exception {
        String tooLong = "s".repeat(65);
        expectClosed("[\"REQ\",\"" + tooLong + "\",{}]", tooLong, "invalid: subscription id");
        expectClosed("[\"REQ\",\"\",{}]", "", "invalid: subscription id");
        expectNotice("[\"REQ\",7,{}]", "subscription id");
        expectNotice("[\"CLOSE\",\"" + tooLong + "\"]", "subscription id");
        // 64 characters is allowed
        assertEquals(List.of(), client.req("s".repeat(64), "{\"limit\":0}"));
        client.send("[\"CLOSE\",\"" + "s".repeat(64) + "\"]");
    }

    @Test
    void messageOverTheLimitGetsANotice() throws Exception {
        String padding = "x".repeat(LIMITS.maxMessageBytes());
        expectNotice("[\"REQ\",\"big\",{\"search\":\"" + padding + "\"}]", "message too large");
    }
}
