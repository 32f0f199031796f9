package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusterTls;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.event.Event;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sync} between two running relays (this JVM, real WebSockets and SQLite files): only the difference moves,
 * both ways, and a second sync finds nothing left; a filter narrows what is reconciled.
 */
class SyncCommandTest {
    @TempDir
    Path tmp;

    @Test
    void syncMovesOnlyTheDifferenceBothWays() throws Exception {
        Path dataA = tmp.resolve("a");
        Path dataB = tmp.resolve("b");
        List<Event> shared = SignedEvents.notes(200, 0);
        List<Event> onlyA = SignedEvents.notes(12, 10_000);
        List<Event> onlyB = SignedEvents.notes(9, 20_000);
        RunningRelay relayA = RunningRelay.start(config(dataA), ClusterOptions.standalone(), ClusterTls.off());
        RunningRelay relayB = RunningRelay.start(config(dataB), ClusterOptions.standalone(), ClusterTls.off());
        try {
            publish(relayA, shared, onlyA);
            publish(relayB, shared, onlyB);
            String url = "ws://127.0.0.1:" + relayB.port() + "/";

            BulkCommandsTest.Result first = BulkCommandsTest.run("sync", url, "--data", dataA.toString(),
                    "--dir", "both", "--verification", "local");
            assertEquals(0, first.exit(), first.out() + first.err());
            assertTrue(first.out().contains("212 events here") && first.out().contains(": 9 only there, 12 only here"),
                    first.out());
            assertTrue(first.out().contains("down: 9 read, 9 stored"), first.out());
            assertTrue(first.out().contains("up: {stored=12}"), first.out());

            List<Event> union = new ArrayList<>(shared);
            union.addAll(onlyA);
            union.addAll(onlyB);
            String expected = BulkCommandsTest.exportOrder(union);
            assertEquals(expected, BulkCommandsTest.export(dataA, tmp.resolve("a.jsonl")));
            assertEquals(expected, BulkCommandsTest.export(dataB, tmp.resolve("b.jsonl")));

            BulkCommandsTest.Result again = BulkCommandsTest.run("sync", url, "--data", dataA.toString(),
                    "--dir", "both", "--verification", "local");
            assertEquals(0, again.exit(), again.out() + again.err());
            assertTrue(again.out().contains("in 1 round trips") && again.out().contains(": 0 only there, 0 only here"),
                    again.out());

            List<Event> later = SignedEvents.notes(30, 30_000);
            publish(relayB, later, List.of());
            String author = later.get(0).pubkey();
            BulkCommandsTest.Result filtered = BulkCommandsTest.run("sync", url, "--data", dataA.toString(),
                    "--filter", "{\"authors\":[\"" + author + "\"]}", "--verification", "local");
            assertEquals(0, filtered.exit(), filtered.out() + filtered.err());
            assertTrue(filtered.out().contains(": 10 only there, 0 only here"), filtered.out());
            assertTrue(filtered.out().contains("down: 10 read, 10 stored"), filtered.out());
        } finally {
            relayA.stop();
            relayB.stop();
        }
    }

    @Test
    void aRelayThatCannotBeReachedOrRefusesIsReported() throws Exception {
        BulkCommandsTest.Result bad = BulkCommandsTest.run("sync", "http://127.0.0.1:1/", "--data",
                tmp.resolve("x").toString());
        assertEquals(1, bad.exit(), bad.out() + bad.err());
        BulkCommandsTest.Result direction = BulkCommandsTest.run("sync", "ws://127.0.0.1:1/", "--dir", "sideways");
        assertEquals(2, direction.exit());
        assertTrue(direction.err().contains("--dir must be down, up or both"), direction.err());
    }

    private static RelayConfig config(Path data) {
        return RelayConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(data.toString())
                .withVerifierThreads(1);
    }

    @SafeVarargs
    private static void publish(RunningRelay relay, List<Event>... batches) throws Exception {
        try (NostrSocket client = NostrSocket.open("publisher", relay.port())) {
            List<CompletableFuture<NostrSocket.Ok>> oks = new ArrayList<>();
            for (List<Event> batch : batches) {
                batch.forEach(event -> oks.add(client.publish(event)));
            }
            for (CompletableFuture<NostrSocket.Ok> ok : oks) {
                assertTrue(ok.get(60, TimeUnit.SECONDS).accepted());
            }
        }
    }
}
