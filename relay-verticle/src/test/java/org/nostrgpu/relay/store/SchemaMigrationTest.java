package org.nostrgpu.relay.store;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;
import static org.nostrgpu.relay.store.StoreTesting.byAuthor;
import static org.nostrgpu.relay.store.StoreTesting.byTag;
import static org.nostrgpu.relay.store.StoreTesting.json;

/**
 * A database written by schema version 2 ({@code schema-v2.sql} here) or 3 (version 2 taken there by
 * {@code migrate-2-to-3.sql}, as a version 3 relay did) opens as the current version with its events and tags intact:
 * REQs by author and by tag find them, new events are stored beside them, and deleting an event still removes its
 * tag rows.
 */
@ExtendWith(VertxExtension.class)
class SchemaMigrationTest {
    private final EventSigner alice = EventSigner.random();

    @Test
    void aVersion2DatabaseIsMigratedWithItsEventsAndTags(Vertx vertx, @TempDir Path dir) throws Exception {
        migratesWithEventsAndTags(vertx, dir.resolve("nostr.sqlite3"), false);
    }

    @Test
    void aVersion3DatabaseIsMigratedWithItsEventsAndTags(Vertx vertx, @TempDir Path dir) throws Exception {
        migratesWithEventsAndTags(vertx, dir.resolve("nostr.sqlite3"), true);
    }

    private void migratesWithEventsAndTags(Vertx vertx, Path file, boolean fromVersion3) throws Exception {
        Event older = alice.sign(NOW - 20, 1, List.of(List.of("t", "x"), List.of("p", alice.pubkey())), "older");
        Event newer = alice.sign(NOW - 10, 1, List.of(List.of("t", "x")), "newer");
        writeVersion2(file, List.of(older, newer));
        if (fromVersion3) {
            toVersion3(file);
            assertEquals(1, StoreTesting.longElsewhere(file,
                    "SELECT count(*) FROM sqlite_master WHERE name = 'tags_by_event'"), "a version 3 database");
        }

        SqliteEventStore store = await(SqliteEventStore.open(vertx, StoreOptions.forFile(file, 1, 10)));
        assertEquals(json(newer, older), await(store.query(List.of(byAuthor(alice.pubkey())), 100, NOW)));
        assertEquals(json(newer, older), await(store.query(List.of(byTag('t', "x")), 100, NOW)));
        assertEquals(json(older), await(store.query(List.of(byTag('p', alice.pubkey())), 100, NOW)));
        Event deletion = alice.sign(NOW - 5, 5, List.of(List.of("e", older.id())), "");
        Event fresh = alice.sign(NOW - 1, 1, List.of(List.of("t", "x")), "fresh");
        assertEquals(StoreOutcome.STORED, await(store.store(deletion)));
        assertEquals(StoreOutcome.STORED, await(store.store(fresh)));
        assertEquals(json(fresh, newer), await(store.query(List.of(byTag('t', "x")), 100, NOW)));
        await(store.close());

        assertEquals(Schema.VERSION, StoreTesting.longElsewhere(file, "PRAGMA user_version"));
        assertEquals(2, StoreTesting.longElsewhere(file, "SELECT count(*) FROM tags WHERE name = 't'"), "the deleted event's tags went with it");
        assertEquals(0, StoreTesting.longElsewhere(file, "SELECT count(*) FROM sqlite_master WHERE name = 'tags_v2'"));
        assertEquals(0, StoreTesting.longElsewhere(file,
                "SELECT count(*) FROM sqlite_master WHERE name = 'tags_by_event'"), "version 4 has no tags_by_event");
    }

    /** What a version 3 relay did to a version 2 database: its migration, in one transaction. */
    private static void toVersion3(Path file) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String part : Schema.statements("migrate-2-to-3.sql")) {
                statement.execute(part);
            }
            statement.execute("PRAGMA user_version = 3");
            connection.commit();
        }
    }

    /** The version 2 schema, and the rows its writer stored for these events. */
    private static void writeVersion2(Path file, List<Event> events) throws Exception {
        String script;
        try (InputStream in = SchemaMigrationTest.class.getResourceAsStream("schema-v2.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            for (String part : script.split("\\R;\\R")) {
                if (!part.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
                    statement.execute(part);
                }
            }
            long seq = 1;
            for (Event event : events) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO events (seq, id, pubkey, created_at, kind, json) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setLong(1, seq);
                    insert.setBytes(2, StoredValues.key(event.id()));
                    insert.setBytes(3, StoredValues.key(event.pubkey()));
                    insert.setLong(4, event.createdAt());
                    insert.setInt(5, event.kind());
                    insert.setString(6, event.toJson());
                    insert.executeUpdate();
                }
                for (List<String> tag : event.tags()) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO tags (event_seq, name, value, created_at, kind) VALUES (?, ?, ?, ?, ?)")) {
                        insert.setLong(1, seq);
                        insert.setString(2, tag.get(0));
                        insert.setObject(3, StoredValues.tagValue(tag.get(1)));
                        insert.setLong(4, event.createdAt());
                        insert.setInt(5, event.kind());
                        insert.executeUpdate();
                    }
                }
                seq++;
            }
            statement.execute("PRAGMA user_version = 2");
        }
    }
}
