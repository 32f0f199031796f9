package org.nostrgpu.bench.bulk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two databases of 100 000 events differing by 1 %, reconciled over a real WebSocket with a relay serving one of
 * them: exactly the difference is found, and the bytes exchanged stay far below listing every id. (With 1 000
 * differences spread evenly, most of the ranges of fewer than 32 events that negentropy ends with hold one
 * difference and are sent as id lists: about 25 ids per difference, in frames of at most 64 KB, hence the rounds.)
 */
class SyncBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void reconcilingTwoDatabasesOf100000EventsDifferingBy1PercentMovesAboutTheDifference() throws Exception {
        SyncBenchmark.Figures figures = SyncBenchmark.run(dir, 100_000, 0.01);
        System.out.println(figures.describe());
        assertEquals(500, figures.expectedNeed());
        assertEquals(figures.expectedNeed(), figures.need());
        assertEquals(figures.expectedHave(), figures.have());
        long bytes = figures.bytesSent() + figures.bytesReceived();
        long everyIdAsHex = 100_000L * 64;
        assertTrue(bytes < everyIdAsHex / 2, "listing every id once takes " + everyIdAsHex + " bytes, this took " + bytes);
        long differingIdsAsHex = (long) (figures.need() + figures.have()) * 64;
        assertTrue(bytes < 40 * differingIdsAsHex, bytes + " bytes for " + differingIdsAsHex + " of differing ids");
        assertTrue(figures.rounds() <= 2 + bytes / 50_000, "round trips: " + figures.rounds());
    }
}
