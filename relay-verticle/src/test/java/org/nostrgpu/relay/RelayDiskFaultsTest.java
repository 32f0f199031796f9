package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.StartupException;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real disk faults under a running relay, on a small tmpfs mounted for the test (it needs root and mount(8); it is
 * skipped, saying so, where the machine allows neither). On a full disk writes are answered
 * {@code OK false "error: could not store the event"}, reads keep being served, every event that was acknowledged
 * is stored, and {@code PRAGMA integrity_check} finds nothing wrong. On a read-only volume the relay does not start.
 */
@ExtendWith(VertxExtension.class)
class RelayDiskFaultsTest {
    private static final Limits LIMITS = new Limits(65_536, 20, 10, 500, 20, 16_000, 900, 0, 0);
    private static final String STORE_FAILED = "error: could not store the event";

    @TempDir
    Path work;
    private Path mount;
    private boolean mounted;
    private RelayNode relay;
    private final EventSigner author = EventSigner.random();

    @BeforeEach
    void rootCanMount() throws Exception {
        mount = work.resolve("volume");
        java.nio.file.Files.createDirectories(mount);
        assumeTrue(run("id", "-u").strip().equals("0"), "needs root to mount a small tmpfs");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (relay != null) {
            relay.close().await(30, TimeUnit.SECONDS);
        }
        if (mounted) {
            run("umount", mount.toString());
        }
    }

    @Test
    void aFullDiskRefusesWritesWithAnErrorKeepsServingReadsAndCorruptsNothing(Vertx vertx) throws Exception {
        mountTmpfs("4m");
        relay = start(vertx);
        List<String> acknowledged = new ArrayList<>();
        JsonArray refused = null;
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            String content = "z".repeat(12_000);
            for (int i = 0; i < 2_000 && refused == null; i++) {
                Event event = TestRelays.sign(author, 1, List.of(), i + content);
                JsonArray ok = client.publish(event);
                if (ok.getBoolean(2)) {
                    acknowledged.add(event.id());
                } else {
                    refused = ok;
                }
            }
            assertTrue(refused != null, "the 4 MB volume never filled");
            assertEquals(STORE_FAILED, refused.getString(3));
            assertFalse(client.publish(TestRelays.sign(author, 1, List.of(), "still full" + content)).getBoolean(2));
            assertEquals(acknowledged.size(), client.req("all", TestRelays.authorFilter(author, "")).size(),
                    "reads are served from the full disk");
        }
        relay.close().await(30, TimeUnit.SECONDS);
        relay = null;
        assertIntactWith(acknowledged, false);
    }

    /**
     * A file system cannot be made read-only under a running relay: Linux refuses to remount it while SQLite holds
     * the database open for writing (and root ignores file permissions). A relay started on a volume that is already
     * read-only refuses to start, naming the cause, and leaves the database as it was.
     */
    @Test
    void aRelayOnAReadOnlyVolumeRefusesToStartAndLeavesTheDatabaseIntact(Vertx vertx) throws Exception {
        mountTmpfs("32m");
        relay = start(vertx);
        List<String> acknowledged = new ArrayList<>();
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            for (int i = 0; i < 20; i++) {
                Event event = TestRelays.sign(author, 1, List.of(), "before read-only " + i);
                client.publishAccepted(event);
                acknowledged.add(event.id());
            }
        }
        relay.close().await(30, TimeUnit.SECONDS);
        relay = null;
        assertTrue(run("mount", "-o", "remount,ro", mount.toString()) != null, "remount read-only failed");

        Throwable refused = assertThrows(Exception.class, () -> start(vertx));
        Throwable cause = refused instanceof StartupException ? refused : refused.getCause();
        assertTrue(cause instanceof StartupException && cause.getMessage().contains("read-only file system"),
                String.valueOf(cause));
        assertIntactWith(acknowledged, true);
    }

    private RelayNode start(Vertx vertx) throws Exception {
        return TestRelays.start(vertx, TestRelays.config(mount.resolve("data"), LIMITS)
                .withAbuse(AbuseLimits.defaults().withoutRateLimits()));
    }

    private void mountTmpfs(String size) throws Exception {
        String result = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString());
        mounted = result != null;
        assumeTrue(mounted, "mount(8) is not allowed here");
    }

    /** {@code PRAGMA integrity_check} passes and every acknowledged event is in the file. */
    private void assertIntactWith(List<String> acknowledged, boolean readOnlyVolume) throws Exception {
        Path file = mount.resolve("data").resolve("nostr.sqlite3");
        // on a read-only volume SQLite cannot open a WAL database normally; a cleanly closed one has no WAL left and
        // can be read as immutable (a full disk may have kept its WAL, which a normal open replays)
        String url = "jdbc:sqlite:file:" + file + (readOnlyVolume ? "?immutable=1" : "");
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            try (ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
                assertTrue(check.next());
                assertEquals("ok", check.getString(1));
            }
            for (String id : acknowledged) {
                try (ResultSet row = statement.executeQuery("SELECT count(*) FROM events WHERE id = x'" + id + "'")) {
                    assertTrue(row.next());
                    assertEquals(1, row.getInt(1), "an acknowledged event is missing: " + id);
                }
            }
        }
    }

    /** Runs a command; its output, or null when it failed. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        return process.waitFor() == 0 ? output : null;
    }
}
