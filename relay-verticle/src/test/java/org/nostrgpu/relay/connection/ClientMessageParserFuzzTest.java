package org.nostrgpu.relay.connection;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonArray;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.InvalidEventException;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any client frame ends in a {@link ClientMessage} or a {@link RejectedMessageException}, never another exception;
 * the answer to a refused frame is a well-formed relay message (NOTICE, CLOSED, NIP-77's NEG-ERR or a four-element
 * OK); an EVENT or AUTH the parser accepts carries an event that reads back equal from its canonical JSON.
 */
class ClientMessageParserFuzzTest {
    private final ClientMessageParser parser = new ClientMessageParser(10, 1_000);

    @FuzzTest(maxDuration = "20s")
    @DictionaryFile(resourcePath = "/org/nostrgpu/common/fuzz/nostr.dict")
    void anyFrameParsesOrGetsAProtocolAnswer(byte[] input) throws InvalidEventException {
        ClientMessage message;
        try {
            message = parser.parse(new String(input, StandardCharsets.UTF_8));
        } catch (RejectedMessageException refused) {
            JsonArray answer = new JsonArray(refused.rejection().toFrame());
            String type = answer.getString(0);
            assertTrue(type.equals("NOTICE") && answer.size() == 2
                    || (type.equals("CLOSED") || type.equals("NEG-ERR")) && answer.size() == 3
                    || type.equals("OK") && answer.size() == 4 && !answer.getBoolean(2), answer.encode());
            return;
        }
        if (message instanceof ClientMessage.Publish publish) {
            assertEquals(publish.event(), EventParser.parse(publish.event().toJson()));
        } else if (message instanceof ClientMessage.Auth auth) {
            assertEquals(auth.event(), EventParser.parse(auth.event().toJson()));
        }
    }
}
