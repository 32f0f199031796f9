package org.nostrgpu.relay;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.authorFilter;
import static org.nostrgpu.relay.TestRelays.now;
import static org.nostrgpu.relay.TestRelays.sign;

/** NIP-01 kind classes, NIP-09 deletion, NIP-40 expiration and NIP-70 protection, through the socket. */
class RelayEventSemanticsTest extends ClientPerTest {
    @RegisterExtension
    static final SharedRelay RELAY = new SharedRelay(TestRelays.LIMITS);

    @Override
    SharedRelay relay() {
        return RELAY;
    }

    private List<String> storedIds(String filterJson) throws Exception {
        List<JsonArray> events = client.req("q", filterJson);
        client.send("[\"CLOSE\",\"q\"]");
        return events.stream().map(frame -> frame.getJsonObject(2).getString("id")).toList();
    }

    @Test
    void replaceableKeepsOnlyTheNewestAndSaysSoWhenAnOlderOneArrives() throws Exception {
        Event older = author.sign(now() - 20, 0, List.of(), "{\"name\":\"old\"}");
        Event newer = author.sign(now() - 10, 0, List.of(), "{\"name\":\"new\"}");
        client.publishAccepted(older);
        client.publishAccepted(newer);
        assertEquals(List.of(newer.id()), storedIds(authorFilter(author, ",\"kinds\":[0]")));

        Event stale = author.sign(now() - 30, 0, List.of(), "{\"name\":\"stale\"}");
        JsonArray ok = client.publish(stale);
        assertTrue(ok.getBoolean(2), ok.encode());
        assertTrue(ok.getString(3).startsWith("duplicate:"), "an older version is reported: " + ok.encode());
        assertEquals(List.of(newer.id()), storedIds(authorFilter(author, ",\"kinds\":[0]")));
    }

    @Test
    void addressableKeepsTheNewestPerDTag() throws Exception {
        Event a1 = author.sign(now() - 20, 30023, List.of(List.of("d", "a")), "a v1");
        Event a2 = author.sign(now() - 10, 30023, List.of(List.of("d", "a")), "a v2");
        Event b1 = author.sign(now() - 15, 30023, List.of(List.of("d", "b")), "b v1");
        client.publishAccepted(a1);
        client.publishAccepted(a2);
        client.publishAccepted(b1);
        assertEquals(List.of(a2.id(), b1.id()), storedIds(authorFilter(author, ",\"kinds\":[30023]")));
    }

    @Test
    void deletionRemovesTheAuthorsEventsAndTheyCannotComeBack() throws Exception {
        Event note = sign(author, 1, List.of(), "regret");
        client.publishAccepted(note);
        Event deletion = sign(author, 5, List.of(List.of("e", note.id())), "");
        client.publishAccepted(deletion);

        assertEquals(List.of(), storedIds("{\"ids\":[\"" + note.id() + "\"]}"));
        JsonArray again = client.publish(note);
        assertTrue(again.getString(3).startsWith("duplicate:"), again.encode());
        assertEquals(List.of(), storedIds("{\"ids\":[\"" + note.id() + "\"]}"), "a deleted id is not re-inserted");

        // the deletion itself is kept, and a deletion of the deletion does nothing
        client.publishAccepted(sign(author, 5, List.of(List.of("e", deletion.id())), ""));
        assertEquals(List.of(deletion.id()), storedIds("{\"ids\":[\"" + deletion.id() + "\"]}"));
    }

    @Test
    void deletionByAnotherPubkeyDoesNothing() throws Exception {
        Event note = sign(author, 1, List.of(), "mine");
        client.publishAccepted(note);
        client.publishAccepted(sign(EventSigner.random(), 5, List.of(List.of("e", note.id())), ""));
        assertEquals(List.of(note.id()), storedIds("{\"ids\":[\"" + note.id() + "\"]}"));
    }

    @Test
    void addressDeletionRemovesVersionsUpToItsCreatedAt() throws Exception {
        Event article = author.sign(now() - 20, 30023, List.of(List.of("d", "post")), "draft");
        client.publishAccepted(article);
        String address = "30023:" + author.pubkey() + ":post";
        client.publishAccepted(author.sign(now() - 10, 5, List.of(List.of("a", address)), ""));
        assertEquals(List.of(), storedIds(authorFilter(author, ",\"kinds\":[30023]")));

        Event rewritten = author.sign(now(), 30023, List.of(List.of("d", "post")), "published");
        client.publishAccepted(rewritten);
        assertEquals(List.of(rewritten.id()), storedIds(authorFilter(author, ",\"kinds\":[30023]")),
                "a version newer than the deletion is kept");
    }

    @Test
    void ephemeralEventsAreFannedOutButNeverStored() throws Exception {
        try (RelayTestClient subscriber = RELAY.connect()) {
            subscriber.req("eph", authorFilter(author, ",\"kinds\":[20001]"));
            Event ephemeral = sign(author, 20001, List.of(), "now or never");
            JsonArray ok = client.publish(ephemeral);
            assertTrue(ok.getBoolean(2), ok.encode());
            assertEquals(ephemeral.id(), subscriber.next("EVENT").getJsonObject(2).getString("id"));
        }
        assertEquals(List.of(), storedIds(authorFilter(author, "")));
    }

    @Test
    void protectedEventsAreRefusedWithoutAuthentication() throws Exception {
        Event guarded = sign(author, 1, List.of(List.of("-")), "only via auth");
        JsonArray ok = client.publish(guarded);
        assertFalse(ok.getBoolean(2));
        assertTrue(ok.getString(3).startsWith("auth-required: "), ok.encode()); // RelayAuthTest: with AUTH
        assertEquals(List.of(), storedIds(authorFilter(author, "")));
    }

    @Test
    void expiredEventsAreRefusedAndExpiringOnesDisappearFromQueries() throws Exception {
        Event expired = sign(author, 1, List.of(List.of("expiration", Long.toString(now() - 1))), "too late");
        JsonArray ok = client.publish(expired);
        assertFalse(ok.getBoolean(2));
        assertEquals("invalid: event has expired", ok.getString(3));

        long expiresAt = now() + 2;
        Event shortLived = sign(author, 1, List.of(List.of("expiration", Long.toString(expiresAt))), "brief");
        client.publishAccepted(shortLived);
        assertEquals(List.of(shortLived.id()), storedIds(authorFilter(author, "")));

        while (now() < expiresAt) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), storedIds(authorFilter(author, "")), "hidden once expired");
        client.send("[\"COUNT\",\"c\"," + authorFilter(author, "") + "]");
        assertEquals(0, client.next("COUNT").getJsonObject(2).getLong("count"));
    }
}
