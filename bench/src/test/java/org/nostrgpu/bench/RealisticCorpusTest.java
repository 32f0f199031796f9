package org.nostrgpu.bench;

import fr.acinq.secp256k1.Secp256k1;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventIds;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.Hex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealisticCorpusTest {
    private static final RealisticCorpus.Options OPTIONS = RealisticCorpus.Options.of(600, 7).withAuthors(50)
            .withBadShares(0.05, 0.03).withUntil(1_700_000_000L);

    @Test
    void sameOptionsGiveTheSameBytesAndAnotherSeedOthers() {
        List<String> first = RealisticCorpus.generate(OPTIONS).json();
        assertEquals(first, RealisticCorpus.generate(OPTIONS).json());
        RealisticCorpus.Options otherSeed = new RealisticCorpus.Options(600, 8, 50, 1.0, 0.05, 0.03, 1_700_000_000L);
        assertNotEquals(first.get(0), RealisticCorpus.generate(otherSeed).json().get(0));
    }

    @Test
    void eventsParseAndOnlyTheChosenOnesAreBad() throws Exception {
        RealisticCorpus.Generated generated = RealisticCorpus.generate(OPTIONS);
        int badIds = 0;
        int badSignatures = 0;
        Map<String, Integer> byAuthor = new HashMap<>();
        boolean escapes = false;
        boolean beyondBmp = false;
        for (String json : generated.json()) {
            Event event = EventParser.parse(json);
            assertEquals(json, event.toJson(), "canonical JSON");
            escapes |= json.contains("\\n") && json.contains("\\\"") && json.contains("\\u0007");
            beyondBmp |= event.content().codePoints().anyMatch(c -> c > 0xFFFF);
            byAuthor.merge(event.pubkey(), 1, Integer::sum);
            if (!EventIds.hasValidId(event)) {
                badIds++;
            } else if (!Secp256k1.get().verifySchnorr(Hex.decode(event.sig()), Hex.decode(event.id()),
                    Hex.decode(event.pubkey()))) {
                badSignatures++;
            }
        }
        assertEquals(generated.badIds(), badIds);
        assertEquals(generated.badSignatures(), badSignatures);
        assertTrue(badIds > 0 && badSignatures > 0, generated.describe());
        assertTrue(escapes && beyondBmp, "unicode beyond the BMP and JSON escapes");
        assertEquals(List.of(0, 1, 3, 7, 30023), List.copyOf(generated.byKind().keySet()));
        int top = byAuthor.values().stream().max(Integer::compare).orElseThrow();
        assertTrue(top > 600 / 50 * 4, "Zipf: the first author writes far more than an even share: " + top);
    }
}
