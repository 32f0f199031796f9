package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

import java.nio.file.Files;
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
 * is stored, and {@code PRAGMA integrity_check} finds nothing wrong; with room again, writes are taken. When the file
 * system turns read-only under the
 * running relay (ext4 on a loop device, {@code errors=remount-ro}, an error triggered through sysfs as the kernel
 * does when it detects corruption) writes are answered the same way (and the relay is not ready), reads, NIP-11 and
 * liveness keep working, the
 * relay stops cleanly, and after {@code e2fsck} the database is intact. On a read-only volume the relay does not
 * start.
 */
@ExtendWith(VertxExtension.class)
class RelayDiskFaultsTest {
    private static final Limits LIMITS = new Limits(65_536, 20, 10, 500, 20, 16_000, 900, 0, 0);
    private static final String STORE_FAILED = "error: could not store the event";

    @TempDir
    Path work;
    private Path mount;
    private boolean mounted;
    /** The loop device under the ext4 volume (e.g. /dev/loop3) while attached; detached after each test. */
    private String loopDevice;
    private RelayNode relay;
    private final EventSigner author = EventSigner.random();

    @BeforeEach
    void rootCanMount() throws Exception {
        mount = work.resolve("volume");
        Files.createDirectories(mount);
        assumeTrue(run("id", "-u").strip().equals("0"), "needs root to mount a volume for the test");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (relay != null) {
                relay.close().await(30, TimeUnit.SECONDS);
            }
        } finally {
            unmount();
        }
    }

    private void unmount() throws Exception {
        if (mounted) {
            // lazily when something still holds it, so a failed test never leaves the volume behind
            mounted = run("umount", mount.toString()) == null && run("umount", "-l", mount.toString()) == null;
        }
        if (loopDevice != null && run("losetup", "-d", loopDevice) != null) {
            loopDevice = null;
        }
    }

    @Test
    void aFullDiskRefusesWritesWithAnErrorKeepsServingReadsAndCorruptsNothing(Vertx vertx) throws Exception {
        mountTmpfs("4m");
        relay = start(vertx);
        List<String> acknowledged = new ArrayList<>();
        JsonArray refused = null;
        HttpClient http = vertx.createHttpClient();
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
            // readiness is not asserted here: its probe commit is small and may still fit where a 12 KB event does not

            // room again (tmpfs grows under open files): readiness finds out by itself, and writes are taken
            assertTrue(run("mount", "-o", "remount,size=32m", mount.toString()) != null, "could not grow the tmpfs");
            JsonObject ready = get(http, "/health/ready", null);
            assertEquals(200, ready.getInteger("status"), ready.encode());
            Event afterwards = TestRelays.sign(author, 1, List.of(), "with room again");
            client.publishAccepted(afterwards);
            acknowledged.add(afterwards.id());
        } finally {
            http.close().await(15, TimeUnit.SECONDS);
        }
        relay.close().await(30, TimeUnit.SECONDS);
        relay = null;
        assertIntactWith(acknowledged, false);
    }

    /**
     * Linux refuses {@code mount -o remount,ro} while SQLite holds the database open for writing, but ext4 mounted
     * with {@code errors=remount-ro} turns itself read-only under its open files when it detects an error, which
     * {@code /sys/fs/ext4/<device>/trigger_fs_error} lets a test cause: from then on every write, through files
     * already open too, fails with EROFS.
     */
    @Test
    void aFileSystemTurnedReadOnlyUnderTheRelayRefusesWritesWithAnErrorKeepsServingReadsAndCorruptsNothing(
            Vertx vertx) throws Exception {
        mountExt4OnLoop("64M");
        relay = start(vertx);
        List<String> durable = new ArrayList<>();
        List<String> acknowledged = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        HttpClient http = vertx.createHttpClient();
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            for (int i = 0; i < 40; i++) {
                Event event = TestRelays.sign(author, 1, List.of(), "before the error " + i);
                client.publishAccepted(event);
                acknowledged.add(event.id());
                if (i == 29) {
                    // what the kernel's writeback or the next checkpoint's fsync does within seconds; the last ten
                    // stay in the page cache, where synchronous=NORMAL leaves a commit until then
                    assertTrue(run("sync", "-f", mount.toString()) != null, "sync failed");
                    durable.addAll(acknowledged);
                }
            }
            triggerFileSystemError();

            // each answer within the client's bound: the writer neither hangs nor dies on the first failure
            for (int i = 0; i < 3; i++) {
                Event event = TestRelays.sign(author, 1, List.of(), "after the error " + i);
                JsonArray answer = client.publish(event);
                assertFalse(answer.getBoolean(2), answer.encode());
                assertEquals(STORE_FAILED, answer.getString(3), answer.encode());
                refused.add(event.id());
            }
            assertEquals(sorted(acknowledged), sorted(ids(client.req("all", TestRelays.authorFilter(author, "")))),
                    "reads are served from the read-only file system");
            try (RelayTestClient another = RelayTestClient.connect(vertx, relay.port())) {
                assertEquals(acknowledged.size(), another.req("again", TestRelays.authorFilter(author, "")).size());
            }
            assertEquals(200, get(http, "/health/live", null).getInteger("status"));
            assertNotReadyBecauseWritesFail(http);
            JsonObject information = get(http, "/", "application/nostr+json");
            assertEquals(200, information.getInteger("status"));
            assertTrue(new JsonObject(information.getString("body")).containsKey("supported_nips"), information.encode());
        } finally {
            http.close().await(15, TimeUnit.SECONDS);
        }
        relay.close().await(30, TimeUnit.SECONDS);
        relay = null;

        unmount();
        assertFalse(mounted, "the volume could not be unmounted");
        Process check = new ProcessBuilder("e2fsck", "-fy", image().toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes());
        // 0: clean, 1: errors corrected (the one triggered at least), 2: corrected, reboot advised; more: not repaired
        assertTrue(check.waitFor() <= 2, "e2fsck could not repair the volume: " + checked);
        attachAndMount(false);
        // the commits still in the page cache when ext4 aborted its journal are lost, as after an OS crash; the
        // database is consistent, holds every event made durable before the error and none of those refused
        assertIntactWith(durable, false);
        List<String> survived = storedOf(acknowledged);
        assertTrue(storedOf(refused).isEmpty(), "an event answered OK false was stored");
        System.out.printf("read-only file system: %d of %d acknowledged events on disk after e2fsck (%d synced)%n",
                survived.size(), acknowledged.size(), durable.size());
    }

    /**
     * A relay started on a volume that is already read-only refuses to start, naming the cause, and leaves the
     * database as it was.
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

    /** An ext4 image in the test's directory, on a loop device, mounted to turn read-only on its first error. */
    private void mountExt4OnLoop(String size) throws Exception {
        for (String tool : List.of("losetup", "blockdev", "mkfs.ext4", "e2fsck")) {
            assumeTrue(run("sh", "-c", "command -v " + tool) != null, tool + " is not installed");
        }
        assumeTrue(run("truncate", "-s", size, image().toString()) != null, "could not create the image");
        assumeTrue(run("mkfs.ext4", "-q", "-F", image().toString()) != null, "mkfs.ext4 failed");
        attachAndMount(true);
        Path trigger = errorTrigger();
        assumeTrue(Files.isWritable(trigger), "the kernel has no " + trigger);
    }

    private void attachAndMount(boolean assumed) throws Exception {
        String device = run("losetup", "--find", "--show", image().toString());
        if (assumed) {
            assumeTrue(device != null, "no loop device is available here");
        }
        assertTrue(device != null, "could not attach the image again");
        loopDevice = device.strip();
        // some kernels (this sandbox's) attach loop devices read-only although the image was opened for writing
        assertTrue(run("blockdev", "--setrw", loopDevice) != null, "could not make " + loopDevice + " writable");
        mounted = run("mount", "-t", "ext4", "-o", "errors=remount-ro", loopDevice, mount.toString()) != null;
        if (assumed) {
            assumeTrue(mounted, "mount(8) of a loop device is not allowed here");
        }
        assertTrue(mounted, "could not mount the repaired volume");
    }

    private Path image() {
        return work.resolve("ext4.img");
    }

    private Path errorTrigger() {
        return Path.of("/sys/fs/ext4", Path.of(loopDevice).getFileName().toString(), "trigger_fs_error");
    }

    /** What ext4 does on detecting corruption: records the error and, with errors=remount-ro, turns read-only. */
    private void triggerFileSystemError() throws Exception {
        Files.writeString(errorTrigger(), "injected by RelayDiskFaultsTest\n");
        String options = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            if (fields[1].equals(mount.toRealPath().toString())) {
                options = fields[3];
            }
        }
        // "ro", or "emergency_ro" where the kernel marks the file system read-only without remounting it
        assertTrue(options != null && (List.of(options.split(",")).contains("ro")
                || List.of(options.split(",")).contains("emergency_ro")), "the volume did not turn read-only: " + options);
    }

    /** Status and body of a GET on the relay's port, as {"status":..., "body":"..."}. */
    /** Alive, but out of a load balancer's rotation: {@code /health/ready} names the failing writes. */
    private void assertNotReadyBecauseWritesFail(HttpClient http) throws Exception {
        JsonObject ready = get(http, "/health/ready", null);
        assertEquals(503, ready.getInteger("status"), ready.encode());
        assertTrue(ready.getString("body").contains("writes failing"), ready.encode());
    }

    private JsonObject get(HttpClient http, String path, String accept) throws Exception {
        return http.request(HttpMethod.GET, relay.port(), "127.0.0.1", path)
                .compose(request -> {
                    if (accept != null) {
                        request.putHeader("Accept", accept);
                    }
                    return request.send();
                })
                .compose(response -> response.body().map(body -> new JsonObject()
                        .put("status", response.statusCode()).put("body", body.toString())))
                .await(15, TimeUnit.SECONDS);
    }

    private static List<String> ids(List<JsonArray> events) {
        return events.stream().map(event -> event.getJsonObject(2).getString("id")).toList();
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    private Path databaseFile() {
        return mount.resolve("data").resolve("nostr.sqlite3");
    }

    /** Those of the ids that are in the database file. */
    private List<String> storedOf(List<String> ids) throws Exception {
        List<String> stored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile());
             Statement statement = connection.createStatement()) {
            for (String id : ids) {
                try (ResultSet row = statement.executeQuery("SELECT count(*) FROM events WHERE id = x'" + id + "'")) {
                    if (row.next() && row.getInt(1) == 1) {
                        stored.add(id);
                    }
                }
            }
        }
        return stored;
    }

    /** {@code PRAGMA integrity_check} passes and every acknowledged event is in the file. */
    private void assertIntactWith(List<String> acknowledged, boolean readOnlyVolume) throws Exception {
        Path file = databaseFile();
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
