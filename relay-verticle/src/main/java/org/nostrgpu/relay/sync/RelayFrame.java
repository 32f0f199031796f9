package org.nostrgpu.relay.sync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.InvalidEventException;
import org.nostrgpu.common.event.StrictJson;

import java.io.IOException;

/**
 * A relay-to-client frame as a client of another relay reads it: its type, the subscription or event id it names,
 * its text (a NEG-MSG's hex, a CLOSED, NEG-ERR, NOTICE or OK message), an EVENT's event, an OK's verdict.
 *
 * @param id   the subscription id (EVENT, EOSE, CLOSED, NEG-MSG, NEG-ERR) or the event id (OK); null for NOTICE
 * @param text null where the frame has none
 */
public record RelayFrame(String type, String id, String text, Event event, boolean accepted) {

    /** Reads one frame; anything it cannot read (other relays' extensions, broken JSON) is type "unreadable". */
    public static RelayFrame parse(String frame) {
        try (JsonParser p = StrictJson.FACTORY.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) {
                return unreadable(frame);
            }
            String type = p.getText();
            return switch (type) {
                case "EVENT" -> {
                    String id = nextString(p);
                    p.nextToken();
                    yield new RelayFrame(type, id, null, EventParser.parse(p), false);
                }
                case "OK" -> {
                    String id = nextString(p);
                    p.nextToken();
                    boolean accepted = p.currentToken() == JsonToken.VALUE_TRUE;
                    yield new RelayFrame(type, id, nextString(p), null, accepted);
                }
                case "NOTICE" -> new RelayFrame(type, null, nextString(p), null, false);
                case "EOSE" -> new RelayFrame(type, nextString(p), null, null, false);
                default -> new RelayFrame(type, nextString(p), nextString(p), null, false);
            };
        } catch (IOException | InvalidEventException | RuntimeException e) {
            return unreadable(frame);
        }
    }

    private static String nextString(JsonParser p) throws IOException {
        return p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    private static RelayFrame unreadable(String frame) {
        return new RelayFrame("unreadable", null, frame.length() > 200 ? frame.substring(0, 200) : frame, null, false);
    }
}
