package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.relay.bulk.ReadOnlyDatabase;
import org.nostrgpu.relay.store.StoreOptions;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code import} process killed with SIGKILL in the middle of its input (fed through standard input, so the kill
 * surely comes before the end) leaves a consistent database, and running the import again completes it: events stored
 * before the kill count as known, the others are stored, none twice.
 */
class ImportInterruptedIT {
    private static final int EVENTS = 4_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void anImportKilledHalfwayCompletesWhenRunAgain() throws Exception {
        Path jar = Path.of(System.getProperty("nostr.app.jar", "target/nostr-gpu-relay.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
        Path logDir = Path.of(System.getProperty("nostr.it.logs", "target/it-logs")).toAbsolutePath();
        Path data = tmp.resolve("data");
        List<Event> events = SignedEvents.notes(EVENTS, 0);
        List<String> lines = SignedEvents.json(events);
        Path file = SignedEvents.write(tmp.resolve("all.jsonl"), lines);
        Path database = data.resolve(StoreOptions.FILE_NAME);

        long storedAtKill;
        try (ChildJvm importer = ChildJvm.start("import-killed", jar, logDir, List.of("import", "--data",
                data.toString(), "--verification", "local", "--progress", "none", "-"))) {
            OutputStream stdin = importer.stdin();
            stdin.write((String.join("\n", lines.subList(0, EVENTS / 2)) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (storedCount(database) < EVENTS / 4 && System.nanoTime() < deadline) {
                assertTrue(importer.isAlive(), importer.logTail(20));
                Thread.sleep(50);
            }
            importer.kill();
            storedAtKill = storedCount(database);
        }
        assertTrue(storedAtKill >= EVENTS / 4 && storedAtKill <= EVENTS / 2, "stored at the kill: " + storedAtKill);

        BulkCommandsTest.Result rerun = BulkCommandsTest.importFile(data, file);
        assertEquals(0, rerun.exit(), rerun.err());
        assertTrue(rerun.out().contains("import: " + EVENTS + " read, " + (EVENTS - storedAtKill) + " stored, "
                + storedAtKill + " already known, 0 refused"), rerun.out());
        assertEquals(BulkCommandsTest.exportOrder(events), BulkCommandsTest.export(data, tmp.resolve("out.jsonl")));
    }

    private static long storedCount(Path database) throws Exception {
        if (!Files.exists(database)) {
            return 0;
        }
        try (Connection connection = ReadOnlyDatabase.open(database);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            return rows.next() ? rows.getLong(1) : 0;
        } catch (org.nostrgpu.common.config.StartupException notYet) {
            return 0; // the file exists but its schema is not committed yet
        }
    }
}
