package org.nostrgpu.relay.connection;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RelayMessagesTest {
    @Test
    void eventJsonIsInsertedUnchanged() {
        String event = "{\"id\":\"ab\",\"content\":\"\\u0001/\\u2028\"}";
        assertEquals("[\"EVENT\",\"s\"," + event + "]", RelayMessages.event("s", event));
    }

    @Test
    void okAlwaysHasFourElements() {
        assertEquals("[\"OK\",\"id\",true,\"\"]", RelayMessages.ok("id", true, ""));
        assertEquals("[\"OK\",\"id\",false,\"invalid: \\\"x\\\"\"]", RelayMessages.ok("id", false, "invalid: \"x\""));
    }

    @Test
    void otherFramesEscapeTheirStrings() {
        assertEquals("[\"EOSE\",\"a\\\"b\"]", RelayMessages.eose("a\"b"));
        assertEquals("[\"CLOSED\",\"s\",\"error: x\"]", RelayMessages.closed("s", "error: x"));
        assertEquals("[\"NOTICE\",\"line\\nbreak\"]", RelayMessages.notice("line\nbreak"));
        assertEquals("[\"COUNT\",\"c\",{\"count\":42}]", RelayMessages.count("c", 42));
        assertEquals(new JsonArray().add("NOTICE").add("\u0000\t"), new JsonArray(RelayMessages.notice("\u0000\t")));
    }
}
