package org.nostrgpu.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.authorFilter;
import static org.nostrgpu.relay.TestRelays.sign;

/** Each client message type over a real WebSocket: EVENT/OK, REQ/EVENT/EOSE, live delivery, CLOSE, COUNT. */
class RelayMessagesEndToEndTest extends ClientPerTest {
    @RegisterExtension
    static final SharedRelay RELAY = new SharedRelay(TestRelays.LIMITS);

    @Override
    SharedRelay relay() {
        return RELAY;
    }

    @Test
    void eventIsAcceptedWithAFourElementOkAndADuplicateSaysSo() throws Exception {
        Event event = sign(author, 1, List.of(), "hello");
        JsonArray ok = client.publish(event);
        assertEquals(true, ok.getBoolean(2));
        assertEquals("", ok.getString(3));

        JsonArray again = client.publish(event);
        assertEquals(true, again.getBoolean(2));
        assertTrue(again.getString(3).startsWith("duplicate:"), again.encode());
    }

    @Test
    void reqSendsStoredEventsNewestFirstThenEoseThenLiveEvents() throws Exception {
        Event older = author.sign(TestRelays.now() - 10, 1, List.of(), "older");
        Event newer = author.sign(TestRelays.now() - 5, 1, List.of(), "newer");
        client.publishAccepted(older);
        client.publishAccepted(newer);

        List<JsonArray> stored = client.req("s1", authorFilter(author, ""));
        assertEquals(2, stored.size());
        assertEquals(newer.id(), stored.get(0).getJsonObject(2).getString("id"));
        assertEquals(older.id(), stored.get(1).getJsonObject(2).getString("id"));
        // What the client reads back is the canonical event, byte for byte.
        assertEquals("[\"EVENT\",\"s1\"," + newer.toJson() + "]", stored.get(0).encode());

        Event live = sign(author, 1, List.of(), "live");
        client.send(TestRelays.eventFrame(live));
        // The OK and the live EVENT may come in either order.
        JsonArray first = client.next();
        JsonArray second = client.next();
        JsonArray eventFrame = first.getString(0).equals("EVENT") ? first : second;
        JsonArray okFrame = first.getString(0).equals("OK") ? first : second;
        RelayTestClient.assertOkShape(okFrame, live.id());
        assertEquals("s1", eventFrame.getString(1));
        assertEquals(live.id(), eventFrame.getJsonObject(2).getString("id"));
    }

    @Test
    void filterLimitCapsStoredEvents() throws Exception {
        for (int i = 0; i < 3; i++) {
            client.publishAccepted(author.sign(TestRelays.now() - i, 1, List.of(), "n" + i));
        }
        assertEquals(2, client.req("lim", authorFilter(author, ",\"limit\":2")).size());
    }

    @Test
    void limitsAboveTheMaximumAndAbsentLimitsAreClampedToIt() throws Exception {
        int max = TestRelays.LIMITS.maxLimit();
        for (int i = 0; i < max + 2; i++) {
            client.publishAccepted(author.sign(TestRelays.now() - i, 1, List.of(), "n" + i));
        }
        assertEquals(max, client.req("big", authorFilter(author, ",\"limit\":100000")).size());
        assertEquals(max, client.req("none", authorFilter(author, "")).size());
    }

    @Test
    void limitZeroSendsOnlyEoseThenLiveEvents() throws Exception {
        client.publishAccepted(sign(author, 1, List.of(), "stored"));
        assertEquals(List.of(), client.req("zero", authorFilter(author, ",\"limit\":0")));

        try (RelayTestClient publisher = RELAY.connect()) {
            Event live = sign(author, 1, List.of(), "after eose");
            publisher.publishAccepted(live);
            JsonArray delivered = client.next("EVENT");
            assertEquals("zero", delivered.getString(1));
            assertEquals(live.id(), delivered.getJsonObject(2).getString("id"));
        }
    }

    @Test
    void closeStopsLiveDelivery() throws Exception {
        client.req("c1", authorFilter(author, ""));
        client.send("[\"CLOSE\",\"c1\"]");
        try (RelayTestClient publisher = RELAY.connect()) {
            publisher.publishAccepted(sign(author, 1, List.of(), "nobody listens"));
        }
        client.expectSilence(300);
    }

    @Test
    void reusingASubscriptionIdReplacesIt() throws Exception {
        EventSigner other = EventSigner.random();
        client.req("same", authorFilter(author, ""));
        client.req("same", "{\"authors\":[\"" + other.pubkey() + "\"]}");
        try (RelayTestClient publisher = RELAY.connect()) {
            publisher.publishAccepted(sign(author, 1, List.of(), "old filter"));
            Event wanted = sign(other, 1, List.of(), "new filter");
            publisher.publishAccepted(wanted);
            JsonArray delivered = client.next("EVENT");
            assertEquals(wanted.id(), delivered.getJsonObject(2).getString("id"), "only the new filter applies");
        }
        client.expectSilence(200);
    }

    @Test
    void liveEventsReachSubscribersOnOtherConnections() throws Exception {
        RelayTestClient[] subscribers = new RelayTestClient[3];
        try {
            for (int i = 0; i < subscribers.length; i++) {
                subscribers[i] = RELAY.connect();
                subscribers[i].req("fan" + i, authorFilter(author, ""));
            }
            Event event = sign(author, 1, List.of(List.of("t", "fanout")), "to everyone");
            client.publishAccepted(event);
            for (int i = 0; i < subscribers.length; i++) {
                JsonArray delivered = subscribers[i].next("EVENT");
                assertEquals("fan" + i, delivered.getString(1));
                assertEquals(event.toJson(), delivered.getJsonObject(2).encode());
            }
        } finally {
            for (RelayTestClient subscriber : subscribers) {
                if (subscriber != null) {
                    subscriber.close();
                }
            }
        }
    }

    @Test
    void theSameEventPublishedAtOnceOnTwoConnectionsIsStoredAndDeliveredOnce() throws Exception {
        client.req("once", authorFilter(author, ""));
        Event event = sign(author, 1, List.of(), "racing");
        try (RelayTestClient first = RELAY.connect();
             RelayTestClient second = RELAY.connect()) {
            first.send(TestRelays.eventFrame(event));
            second.send(TestRelays.eventFrame(event));
            JsonArray okFirst = first.next("OK");
            JsonArray okSecond = second.next("OK");
            assertTrue(okFirst.getBoolean(2) && okSecond.getBoolean(2), okFirst.encode() + " " + okSecond.encode());
            assertTrue(okFirst.getString(3).isEmpty() || okSecond.getString(3).isEmpty(), "one of them stored it");
        }
        assertEquals(event.id(), client.next("EVENT").getJsonObject(2).getString("id"));
        client.expectSilence(300);
    }

    @Test
    void liveDeliveryOnlyForMatchingFilters() throws Exception {
        client.req("kind7", authorFilter(author, ",\"kinds\":[7]"));
        try (RelayTestClient publisher = RELAY.connect()) {
            publisher.publishAccepted(sign(author, 1, List.of(), "kind 1"));
            Event reaction = sign(author, 7, List.of(), "+");
            publisher.publishAccepted(reaction);
            assertEquals(reaction.id(), client.next("EVENT").getJsonObject(2).getString("id"));
        }
        client.expectSilence(200);
    }

    @Test
    void countAnswersWithTheNumberOfMatchingEvents() throws Exception {
        client.publishAccepted(sign(author, 1, List.of(), "a"));
        client.publishAccepted(sign(author, 1, List.of(), "b"));
        client.publishAccepted(sign(author, 7, List.of(), "+"));

        client.send("[\"COUNT\",\"n\"," + authorFilter(author, ",\"kinds\":[1]") + "]");
        JsonArray count = client.next("COUNT");
        assertEquals(3, count.size());
        assertEquals("n", count.getString(1));
        assertEquals(new JsonObject().put("count", 2), count.getJsonObject(2));

        client.send("[\"COUNT\",\"all\"," + authorFilter(author, "") + "]");
        assertEquals(3, client.next("COUNT").getJsonObject(2).getLong("count"));
        // COUNT opens no subscription: nothing arrives later
        client.publishAccepted(sign(author, 1, List.of(), "c"));
        client.expectSilence(200);
    }
}
