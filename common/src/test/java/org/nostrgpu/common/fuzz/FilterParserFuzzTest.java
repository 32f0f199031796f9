package org.nostrgpu.common.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.filter.FilterParser;
import org.nostrgpu.common.filter.InvalidFilterException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Any text given to the filter parser ends in a {@link Filter} or an {@link InvalidFilterException}, never another
 * exception, and a filter it accepts can be matched against events without failing.
 */
class FilterParserFuzzTest {
    private static final Event EVENT = EventSigner.random().sign(1_750_000_000, 1,
            List.of(List.of("e", "01".repeat(32)), List.of("t", "nostr"), List.of("d", "")), "fuzzing");

    @FuzzTest(maxDuration = "20s")
    @DictionaryFile(resourcePath = "/org/nostrgpu/common/fuzz/nostr.dict")
    void anyTextParsesOrIsRefused(byte[] input) {
        Filter filter;
        try {
            filter = FilterParser.parse(new String(input, StandardCharsets.UTF_8));
        } catch (InvalidFilterException refused) {
            return;
        }
        filter.matches(EVENT);
        filter.matchesNothing();
    }
}
