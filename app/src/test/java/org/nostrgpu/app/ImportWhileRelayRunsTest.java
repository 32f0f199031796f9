package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * {@code import} into the database of a relay that is running (another SQLite connection on the same WAL file):
 * clients keep publishing before, during and after it, and the relay serves the imported events as well as its own.
 */
class ImportWhileRelayRunsTest {
    @TempDir
    Path tmp;

    @Test
    void importIntoARunningRelaysDatabaseLosesNothingOnEitherSide() throws Exception {
        Path data = tmp.resolve("data");
        RelayConfig config = RelayConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(data.toString())
                .withVerifierThreads(1);
        List<Event> imported = SignedEvents.notes(400, 0);
        List<Event> published = SignedEvents.notes(150, 10_000);
        Path file = SignedEvents.write(tmp.resolve("import.jsonl"), SignedEvents.json(imported));

        RunningRelay relay = RunningRelay.start(config, ClusterOptions.standalone(), ClusterTls.off());
        try (NostrSocket client = NostrSocket.open("client", relay.port())) {
            List<CompletableFuture<NostrSocket.Ok>> oks = new ArrayList<>();
            published.subList(0, 50).forEach(event -> oks.add(client.publish(event)));
            CompletableFuture<BulkCommandsTest.Result> importing =
                    CompletableFuture.supplyAsync(() -> BulkCommandsTest.importFile(data, file));
            published.subList(50, 100).forEach(event -> oks.add(client.publish(event)));
            BulkCommandsTest.Result result = importing.get(120, TimeUnit.SECONDS);
            assertEquals(0, result.exit(), result.err());
            assertTrue(result.out().contains("import: 400 read, 400 stored"), result.out());
            // after the import the relay's writer appends behind rows it did not write itself
            published.subList(100, 150).forEach(event -> oks.add(client.publish(event)));
            for (CompletableFuture<NostrSocket.Ok> ok : oks) {
                NostrSocket.Ok answer = ok.get(60, TimeUnit.SECONDS);
                assertTrue(answer.accepted() && answer.message().isEmpty(), answer.toString());
            }
            String importedAuthor = imported.get(0).pubkey();
            List<String> served = client.queryIds(new JsonObject()
                    .put("authors", new JsonArray().add(importedAuthor)).put("limit", 500));
            assertEquals(imported.stream().filter(event -> event.pubkey().equals(importedAuthor)).count(),
                    served.size());
        } finally {
            relay.stop();
        }
        List<Event> all = new ArrayList<>(imported);
        all.addAll(published);
        assertEquals(BulkCommandsTest.exportOrder(all), BulkCommandsTest.export(data, tmp.resolve("all.jsonl")));
    }
}
