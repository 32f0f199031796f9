package org.nostrgpu.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.relay.sync.RemoteRelay;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.LIMITS;

/**
 * NIP-77 on the client WebSocket: reconciliation against the relay's stored events (whole set and filtered), in
 * several rounds under the relay's frame size limit, and every kind of malformed NEG message answered with NEG-ERR
 * (or NOTICE when it names no usable subscription id) on a connection that stays usable.
 */
class NegentropyWebSocketTest extends ClientPerTest {
    @RegisterExtension
    static final SharedRelay RELAY = new SharedRelay(LIMITS);
    private static final int STORED = 600;
    private static final List<Event> EVENTS = new ArrayList<>();
    private static final EventSigner FIRST = EventSigner.random();
    private static final EventSigner SECOND = EventSigner.random();

    @Override
    SharedRelay relay() {
        return RELAY;
    }

    @BeforeAll
    static void storeEvents() throws Exception {
        long now = TestRelays.now();
        try (RelayTestClient publisher = RELAY.connect()) {
            for (int i = 0; i < STORED; i++) {
                Event event = (i % 2 == 0 ? FIRST : SECOND).sign(now - 10_000 + i / 3, 1, List.of(), "n" + i);
                EVENTS.add(event);
                publisher.send("[\"EVENT\"," + event.toJson() + "]");
            }
            for (int i = 0; i < STORED; i++) {
                JsonArray ok = publisher.next("OK");
                assertTrue(ok.getBoolean(2), ok.encode());
            }
        }
    }

    @Test
    void aClientLearnsWhatOnlyTheRelayHasAndWhatOnlyItHas() throws Exception {
        Random random = new Random(1);
        ItemSet.Builder mine = new ItemSet.Builder(STORED);
        Set<String> relayOnly = new HashSet<>();
        for (Event event : EVENTS) {
            if (random.nextInt(30) == 0) {
                relayOnly.add(event.id());
            } else {
                mine.add(event.createdAt(), Hex.decode(event.id()));
            }
        }
        Set<String> clientOnly = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            clientOnly.add(Hex.encode(id));
            mine.add(TestRelays.now() - 10_000 + random.nextInt(300), id);
        }
        try (RemoteRelay remote = connectRemote()) {
            RemoteRelay.Reconciliation result = remote.reconcile(new JsonObject(), mine.build(), 4_096);
            assertEquals(clientOnly, hex(result.have()));
            assertEquals(relayOnly, hex(result.need()));
            assertTrue(result.rounds() >= 2, "rounds: " + result.rounds());
        }
    }

    @Test
    void aFilterNarrowsTheSetToItsEvents() throws Exception {
        ItemSet empty = new ItemSet.Builder(0).build();
        JsonObject byFirst = new JsonObject().put("authors", new JsonArray().add(FIRST.pubkey())).put("kinds",
                new JsonArray().add(1));
        try (RemoteRelay remote = connectRemote()) {
            Set<String> need = hex(remote.reconcile(byFirst, empty, 0).need());
            assertEquals(EVENTS.stream().filter(e -> e.pubkey().equals(FIRST.pubkey())).map(Event::id)
                    .collect(Collectors.toSet()), need);
            long since = EVENTS.get(300).createdAt();
            Set<String> recent = hex(remote.reconcile(new JsonObject().put("since", since), empty, 0).need());
            assertEquals(EVENTS.stream().filter(e -> e.createdAt() >= since).map(Event::id)
                    .collect(Collectors.toSet()), recent);
        }
    }

    @Test
    void malformedNegMessagesGetNegErrAndTheConnectionStaysUsable() throws Exception {
        expectNegErr("[\"NEG-OPEN\",\"a\",{},\"zz\"]", "a", "invalid: ");
        expectNegErr("[\"NEG-OPEN\",\"b\",{},\"6100000110\"]", "b", "invalid: ");
        expectNegErr("[\"NEG-OPEN\",\"c\",{\"kinds\":\"x\"},\"6100\"]", "c", "invalid: ");
        expectNegErr("[\"NEG-OPEN\",\"d\",{}]", "d", "invalid: ");
        expectNegErr("[\"NEG-OPEN\",\"e\",{},\"61\",\"more\"]", "e", "invalid: ");
        expectNegErr("[\"NEG-OPEN\",\"f\",{},\"6100000301\"]", "f", "invalid: ");
        expectNegErr("[\"NEG-OPEN\",\"g\",{},\"10\"]", "g", "invalid: ");
        expectNegErr("[\"NEG-OPEN\",\"h\",{},\"\"]", "h", "invalid: ");
        expectNegErr("[\"NEG-MSG\",\"nothing-open\",\"61\"]", "nothing-open", "closed: ");
        expectNegErr("[\"NEG-MSG\",\"i\",42]", "i", "invalid: ");
        expectNegErr("[\"NEG-CLOSE\",\"j\",\"extra\"]", "j", "invalid: ");
        client.send("[\"NEG-OPEN\",5,{},\"61\"]");
        assertTrue(client.next("NOTICE").getString(1).startsWith("invalid: "));
        // another protocol version: the relay answers with its own version only, as the protocol says
        client.send("[\"NEG-OPEN\",\"v\",{},\"62\"]");
        JsonArray version = client.next("NEG-MSG");
        assertEquals(new JsonArray().add("NEG-MSG").add("v").add("61"), version);
        // a session that failed is gone
        expectNegErr("[\"NEG-OPEN\",\"k\",{},\"610000011\"]", "k", "invalid: ");
        expectNegErr("[\"NEG-MSG\",\"k\",\"61\"]", "k", "closed: ");
        List<JsonArray> found = client.req("still-usable", "{\"ids\":[\"" + EVENTS.get(0).id() + "\"]}");
        assertEquals(1, found.size());
    }

    @Test
    void sessionsPerConnectionAreLimited() throws Exception {
        String emptyQuery = "6100000200"; // infinity bound, IdList of no ids
        for (int i = 0; i < 4; i++) {
            client.send("[\"NEG-OPEN\",\"s" + i + "\",{\"ids\":[]},\"" + emptyQuery + "\"]");
            assertEquals("s" + i, client.next("NEG-MSG").getString(1));
        }
        expectNegErr("[\"NEG-OPEN\",\"s4\",{},\"" + emptyQuery + "\"]", "s4", "blocked: ");
        client.send("[\"NEG-CLOSE\",\"s0\"]");
        client.send("[\"NEG-OPEN\",\"s4\",{\"ids\":[]},\"" + emptyQuery + "\"]");
        assertEquals("s4", client.next("NEG-MSG").getString(1));
        // re-opening an id replaces that session rather than counting twice
        client.send("[\"NEG-OPEN\",\"s4\",{\"ids\":[]},\"" + emptyQuery + "\"]");
        assertEquals("s4", client.next("NEG-MSG").getString(1));
    }

    @Test
    void aRefusedReconciliationIsReportedToTheInitiator() throws Exception {
        try (RemoteRelay remote = connectRemote()) {
            JsonObject badFilter = new JsonObject().put("kinds", "not a list");
            RemoteRelay.SyncRefusedException refused = assertThrows(RemoteRelay.SyncRefusedException.class,
                    () -> remote.reconcile(badFilter, new ItemSet.Builder(0).build(), 0));
            assertTrue(refused.getMessage().startsWith("NEG-ERR: invalid: "), refused.getMessage());
        }
    }

    private RemoteRelay connectRemote() throws Exception {
        return RemoteRelay.connect(RELAY.vertx(), URI.create("ws://127.0.0.1:" + RELAY.port() + "/"),
                Duration.ofSeconds(10));
    }

    private void expectNegErr(String frame, String subscriptionId, String prefix) throws Exception {
        client.send(frame);
        JsonArray error = client.next("NEG-ERR");
        assertEquals(3, error.size(), error.encode());
        assertEquals(subscriptionId, error.getString(1));
        assertTrue(error.getString(2).startsWith(prefix), frame + " -> " + error.encode());
    }

    private static Set<String> hex(List<byte[]> ids) {
        return ids.stream().map(Hex::encode).collect(Collectors.toSet());
    }
}
