package org.nostrgpu.relay.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;
import org.nostrgpu.relay.store.StoreOutcome;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The negentropy items of a filter are read through the store's indexes: {@code EXPLAIN QUERY PLAN} of each
 * {@link StoredItems} statement shows no table scan, and a sort of the whole answer only where ids or tag values
 * drive it (their matches are found by key, not in created_at order); otherwise an index ending with
 * (created_at DESC, id) is walked backwards and only the ids within one created_at are sorted. Checked on the store's
 * own schema, with the statistics the store keeps ({@code PRAGMA optimize}) and without any.
 */
class StoredItemsPlanTest {
    private static final long NOW = 1_700_000_000L;

    @TempDir
    Path dir;

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void everyFilterShapeReadsThroughAnIndex() throws Exception {
        Path file = dir.resolve(StoreOptions.FILE_NAME);
        SqliteEventStore store = SqliteEventStore.open(vertx, StoreOptions.forFile(file, 1, 500))
                .await(30, TimeUnit.SECONDS);
        // many authors, topics and kinds, as on a relay: the planner's statistics then favour the indexes
        List<EventSigner> authors = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            authors.add(EventSigner.random());
        }
        List<Future<StoreOutcome>> stored = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            stored.add(store.store(authors.get(i % authors.size()).sign(NOW - 1_000 + i, 1 + i % 10,
                    List.of(List.of("t", "topic" + i % 40)), "note " + i)));
        }
        Future.all(stored).await(30, TimeUnit.SECONDS);
        store.close().await(30, TimeUnit.SECONDS);
        String pubkey = authors.get(0).pubkey();
        assertPlans(file, pubkey, "with the statistics the store keeps");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS sqlite_stat1");
        }
        assertPlans(file, pubkey, "without statistics");
    }

    private static void assertPlans(Path file, String pubkey, String database) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (Map.Entry<String, Filter> shape : shapes(pubkey).entrySet()) {
                Filter filter = shape.getValue();
                List<Object> params = new ArrayList<>();
                String sql = StoredItems.select(filter, NOW, params);
                List<String> plan = plan(connection, sql, params);
                String described = shape.getKey() + " " + database + ":\n" + String.join("\n", plan) + "\n" + sql;
                boolean drivenByKeys = filter.ids() != null || filter.tagValues() != null;
                assertTrue(plan.stream().anyMatch(line -> line.contains(" USING ")), described);
                for (String line : plan) {
                    assertFalse(line.startsWith("SCAN ") && !line.contains(" USING "), described);
                    if (!drivenByKeys) {
                        // SQLite says "RIGHT PART OF" or "LAST TERM OF ORDER BY" (newer): the ids within one created_at
                        assertFalse(line.contains("TEMP B-TREE") && !line.contains("RIGHT PART OF ORDER BY")
                                && !line.contains("LAST TERM OF ORDER BY"), described);
                    }
                }
            }
        }
    }

    private static List<String> plan(Connection connection, String sql, List<Object> params) throws Exception {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                explain.setObject(i + 1, params.get(i));
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString("detail"));
                }
            }
            return lines;
        }
    }

    private static Map<String, Filter> shapes(String pubkey) {
        Map<String, Filter> shapes = new LinkedHashMap<>();
        shapes.put("{}", new Filter(null, null, null, null, null, null, null));
        shapes.put("since/until", new Filter(null, null, null, null, NOW - 500, NOW - 100, null));
        shapes.put("kinds", new Filter(null, null, Set.of(1), null, null, null, null));
        shapes.put("authors", new Filter(null, Set.of(pubkey), null, null, null, null, null));
        shapes.put("authors+kinds", new Filter(null, Set.of(pubkey), Set.of(1, 7), null, null, null, null));
        shapes.put("#t", new Filter(null, null, null, Map.of('t', Set.of("topic1")), null, null, null));
        shapes.put("ids", new Filter(Set.of("a".repeat(64)), null, null, null, null, null, null));
        return shapes;
    }
}
