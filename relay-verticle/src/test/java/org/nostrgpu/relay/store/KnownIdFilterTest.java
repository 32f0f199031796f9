package org.nostrgpu.relay.store;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownIdFilterTest {
    private final Random random = new Random(7);

    @Test
    void neverMissesAnAddedIdAndGrowsPastItsFirstSize() {
        KnownIdFilter filter = new KnownIdFilter(1);
        long firstLayerBytes = filter.sizeBytes();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            String id = randomId();
            added.add(id);
            filter.add(id);
        }
        for (String id : added) {
            assertTrue(filter.mightContain(id), id);
        }
        assertTrue(filter.sizeBytes() > 2 * firstLayerBytes, "added layers: " + filter.sizeBytes() + " bytes");
    }

    @Test
    void falsePositivesStayNearOnePercentPerLayer() {
        KnownIdFilter filter = new KnownIdFilter(100_000);
        for (int i = 0; i < 100_000; i++) {
            filter.add(randomId());
        }
        int falsePositives = 0;
        int probes = 100_000;
        for (int i = 0; i < probes; i++) {
            if (filter.mightContain(randomId())) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < probes * 0.02, falsePositives + " false positives in " + probes);
    }

    @Test
    void idsAddedAsBytesAreFoundByTheirHex() {
        KnownIdFilter filter = new KnownIdFilter(1_000);
        byte[] id = new byte[32];
        random.nextBytes(id);
        assertFalse(filter.mightContain(Hex.encode(id)));
        filter.add(id);
        assertTrue(filter.mightContain(Hex.encode(id)));
    }

    @Test
    void textThatCannotBeAnIdIsNeverContained() {
        KnownIdFilter filter = new KnownIdFilter(1_000);
        String upper = randomId().toUpperCase();
        filter.add(upper);
        assertFalse(filter.mightContain(upper));
        assertFalse(filter.mightContain("abc"));
    }

    private String randomId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Hex.encode(bytes);
    }
}
