package org.nostrgpu.relay.connection;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientMessageParserTest {
    private final ClientMessageParser parser = new ClientMessageParser(2, 3);
    private final Event event = EventSigner.random().sign(1_700_000_000L, 1, List.of(List.of("t", "x")), "hi");

    private Rejection rejected(String frame) {
        return assertThrows(RejectedMessageException.class, () -> parser.parse(frame)).rejection();
    }

    @Test
    void parsesEachMessageType() throws Exception {
        ClientMessage.Publish publish = assertInstanceOf(ClientMessage.Publish.class,
                parser.parse("[\"EVENT\"," + event.toJson() + "]"));
        assertEquals(event, publish.event());

        ClientMessage.Req req = assertInstanceOf(ClientMessage.Req.class,
                parser.parse("[\"REQ\",\"sub\",{\"kinds\":[1]},{\"limit\":5}]"));
        assertEquals("sub", req.subscriptionId());
        assertEquals(2, req.filters().size());
        assertEquals(5, req.filters().get(1).limit());

        assertEquals(new ClientMessage.Close("sub"), parser.parse("[\"CLOSE\",\"sub\"]"));

        ClientMessage.Count count = assertInstanceOf(ClientMessage.Count.class,
                parser.parse("[\"COUNT\",\"c\",{\"kinds\":[1]}]"));
        assertEquals("c", count.subscriptionId());

        ClientMessage.Auth auth = assertInstanceOf(ClientMessage.Auth.class,
                parser.parse("[\"AUTH\"," + event.toJson() + "]"));
        assertEquals(event, auth.event());
    }

    @Test
    void unknownFieldsOfAnEventAreDroppedByReserialization() throws Exception {
        String withExtra = event.toJson().replace("{\"id\"", "{\"extra\":{\"a\":[1,2]},\"id\"");
        ClientMessage.Publish publish = (ClientMessage.Publish) parser.parse("[\"EVENT\"," + withExtra + "]");
        assertEquals(event.toJson(), publish.event().toJson());
    }

    @Test
    void framesThatAreNotMessagesGetNotices() {
        for (String frame : List.of("", "nope", "{}", "[]", "[1]", "[\"REQ\",\"s\",{}", "[\"CLOSE\",\"s\"] trailing",
                "[\"CLOSE\",\"s\"][\"CLOSE\",\"t\"]", "[\"HELLO\"]", "[\"EVENT\"]", "[\"EVENT\",\"text\"]",
                "[\"CLOSE\"]", "[\"CLOSE\",\"a\",\"b\"]", "[\"REQ\",{}]")) {
            Rejection rejection = rejected(frame);
            Rejection.Notice notice = assertInstanceOf(Rejection.Notice.class, rejection, frame);
            assertTrue(notice.message().startsWith("invalid: "), notice.message());
        }
    }

    @Test
    void aFilterWithMoreValuesThanAllowedIsClosedNamingTheField() {
        String hex = "ab".repeat(32);
        String four = "[\"" + hex.replace("ab", "a1") + "\",\"" + hex.replace("ab", "a2") + "\",\""
                + hex.replace("ab", "a3") + "\",\"" + hex.replace("ab", "a4") + "\"]";
        for (String field : new String[]{"authors", "ids", "#e"}) {
            Rejection rejection = rejected("[\"REQ\",\"s\",{\"" + field + "\":" + four + "}]");
            Rejection.RefusedSubscription closed = assertInstanceOf(Rejection.RefusedSubscription.class, rejection);
            assertTrue(closed.message().startsWith("invalid: too many values in one filter (" + field + ": 4, at most 3)"),
                    closed.message());
        }
        assertInstanceOf(Rejection.RefusedSubscription.class,
                rejected("[\"COUNT\",\"c\",{\"#t\":[\"a\",\"b\",\"c\",\"d\"]}]"));
        Rejection.RefusedNegentropy negErr = assertInstanceOf(Rejection.RefusedNegentropy.class,
                rejected("[\"NEG-OPEN\",\"n\",{\"authors\":" + four + "},\"61\"]"));
        assertTrue(negErr.message().startsWith("invalid: too many values in one filter (authors: 4, at most 3)"),
                negErr.message());
    }

    @Test
    void deepNestingIsNamedAsTheProblem() {
        String tags = "[".repeat(60_000) + "]".repeat(60_000);
        String frame = "[\"EVENT\",{\"id\":\"" + "a".repeat(64) + "\",\"tags\":" + tags + "}]";
        Rejection.Notice notice = assertInstanceOf(Rejection.Notice.class, rejected(frame));
        assertTrue(notice.message().startsWith("invalid: message is nested too deeply"), notice.message());
        assertInstanceOf(Rejection.Notice.class, rejected("[".repeat(10) + "]".repeat(10)));
    }

    @Test
    void unknownTypeIsNamedButNotEchoedAtLength() {
        Rejection.Notice notice = (Rejection.Notice) rejected("[\"" + "X".repeat(500) + "\"]");
        assertTrue(notice.message().length() < 100, notice.message());
        assertTrue(rejected("[\"HELLO\",\"x\"]").toFrame().contains("\\\"HELLO\\\""));
    }

    @Test
    void badEventWithAnIdIsAnsweredWithOkFalse() {
        String broken = event.toJson().replace("\"content\":\"hi\"", "\"content\":7");
        Rejection.RefusedEvent refused = assertInstanceOf(Rejection.RefusedEvent.class,
                rejected("[\"EVENT\"," + broken + "]"));
        assertEquals(event.id(), refused.eventId());
        assertEquals("invalid: content must be a string", refused.message());
        assertEquals("[\"OK\",\"" + event.id() + "\",false,\"invalid: content must be a string\"]", refused.toFrame());
    }

    @Test
    void eventMessageWithTwoEventsIsRefused() {
        Rejection.RefusedEvent refused = assertInstanceOf(Rejection.RefusedEvent.class,
                rejected("[\"EVENT\"," + event.toJson() + "," + event.toJson() + "]"));
        assertEquals(event.id(), refused.eventId());
    }

    @Test
    void subscriptionIdRules() throws Exception {
        assertEquals("é".repeat(64), ((ClientMessage.Close) parser.parse("[\"CLOSE\",\"" + "é".repeat(64) + "\"]"))
                .subscriptionId());
        Rejection.RefusedSubscription tooLong = assertInstanceOf(Rejection.RefusedSubscription.class,
                rejected("[\"REQ\",\"" + "x".repeat(65) + "\",{}]"));
        assertTrue(tooLong.message().startsWith("invalid: subscription id must be at most 64"));
        assertInstanceOf(Rejection.RefusedSubscription.class, rejected("[\"COUNT\",\"\",{}]"));
        assertInstanceOf(Rejection.Notice.class, rejected("[\"REQ\",null,{}]"));
        assertInstanceOf(Rejection.Notice.class, rejected("[\"CLOSE\",\"\"]"));
    }

    @Test
    void filterProblemsCloseTheSubscription() {
        for (String frame : List.of("[\"REQ\",\"s\",{},{},{}]", "[\"REQ\",\"s\"]", "[\"REQ\",\"s\",[]]",
                "[\"REQ\",\"s\",{\"authors\":[\"ABC\"]}]", "[\"COUNT\",\"s\",{\"limit\":-1}]")) {
            Rejection.RefusedSubscription refused = assertInstanceOf(Rejection.RefusedSubscription.class,
                    rejected(frame), frame);
            assertEquals("s", refused.subscriptionId());
            assertTrue(refused.message().startsWith("invalid: "), refused.message());
        }
        assertTrue(((Rejection.RefusedSubscription) rejected("[\"REQ\",\"s\",{},{},{}]")).message()
                .contains("too many filters"));
    }
}
