package org.nostrgpu.common.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.InvalidEventException;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Any text given to the event parser ends in an {@link Event} or an {@link InvalidEventException}, never another
 * exception, and an event it accepts reads back equal from its own canonical JSON. Seeds: signed events from
 * nostr-tools; findings are kept beside them and rerun by every build.
 */
class EventParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    @DictionaryFile(resourcePath = "/org/nostrgpu/common/fuzz/nostr.dict")
    void anyTextParsesOrIsRefusedAndAcceptedEventsRoundTrip(byte[] input) throws InvalidEventException {
        Event event;
        try {
            event = EventParser.parse(new String(input, StandardCharsets.UTF_8));
        } catch (InvalidEventException refused) {
            return;
        }
        assertEquals(event, EventParser.parse(event.toJson()));
    }
}
