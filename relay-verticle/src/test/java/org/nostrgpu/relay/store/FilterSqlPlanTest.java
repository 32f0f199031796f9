package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;

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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;

/**
 * Every REQ filter shape is read through an index, in the answer's order: {@code EXPLAIN QUERY PLAN} of each
 * statement {@link FilterSql} builds shows neither a table scan ({@code SCAN events}, {@code SCAN tags}; an index
 * walked in order and stopped at the limit is fine) nor a temporary B-tree (a sort), on an empty database and on one with statistics ({@code ANALYZE}), where the planner's
 * own choices could differ. A scan or sort is what made a REQ cost tens of milliseconds as the database grew.
 */
@ExtendWith(VertxExtension.class)
class FilterSqlPlanTest {
    private static final String HEX_A = "a".repeat(64);
    private static final String HEX_B = "b".repeat(64);

    private final List<String> authors = IntStream.range(0, 70).mapToObj(i -> EventSigner.random().pubkey()).toList();

    @Test
    void everyShapeWalksAnIndexInOrderWithAndWithoutStatistics(Vertx vertx, @TempDir Path dir) throws Exception {
        StoreOptions options = StoreOptions.forFile(dir.resolve("nostr.sqlite3"), 1, 500);
        SqliteEventStore store = await(SqliteEventStore.open(vertx, options));
        assertPlans(options.file(), "an empty database");

        EventSigner signer = EventSigner.random();
        List<Future<StoreOutcome>> stored = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<List<String>> tags = List.of(List.of("t", "topic" + i % 5), List.of("e", i % 2 == 0 ? HEX_A : HEX_B),
                    List.of("p", authors.get(i % authors.size())));
            stored.add(store.store(signer.sign(NOW - 1000 + i, i % 3 == 0 ? 7 : 1, tags, "note " + i)));
        }
        await(Future.all(stored));
        await(store.close());
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + options.file());
             Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
        assertPlans(options.file(), "a database with statistics");
    }

    private void assertPlans(Path file, String database) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (Map.Entry<String, Filter> shape : shapes().entrySet()) {
                List<FilterSql.Statement> statements = FilterSql.select(shape.getValue(), 100, NOW);
                assertFalse(statements.isEmpty(), shape.getKey());
                for (FilterSql.Statement statement : statements) {
                    List<String> plan = plan(connection, statement);
                    String described = shape.getKey() + " on " + database + ":\n" + String.join("\n", plan)
                            + "\n" + statement.sql();
                    for (String line : plan) {
                        // "SCAN e USING INDEX events_by_time" walks an index in order and stops at the limit;
                        // "SCAN json_each VIRTUAL TABLE" reads a parameter list; any other SCAN reads a table
                        boolean indexWalk = line.contains(" USING INDEX ") || line.contains(" USING COVERING INDEX ");
                        assertFalse(line.startsWith("SCAN ") && !indexWalk && !line.contains("VIRTUAL TABLE"), described);
                        assertFalse(line.contains("TEMP B-TREE"), described);
                    }
                }
            }
        }
    }

    private static List<String> plan(Connection connection, FilterSql.Statement statement) throws Exception {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + statement.sql())) {
            for (int i = 0; i < statement.params().size(); i++) {
                explain.setObject(i + 1, statement.params().get(i));
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

    private Map<String, Filter> shapes() {
        Map<String, Filter> shapes = new LinkedHashMap<>();
        Set<String> one = Set.of(authors.get(0));
        Set<String> three = Set.copyOf(authors.subList(0, 3));
        Set<String> seventy = Set.copyOf(authors);
        shapes.put("{}", filter(null, null, null, null, null, null));
        shapes.put("since/until", filter(null, null, null, null, NOW - 500, NOW - 100));
        shapes.put("until", filter(null, null, null, null, null, NOW - 100));
        shapes.put("authors", filter(null, one, null, null, null, null));
        shapes.put("3 authors", filter(null, three, null, null, null, null));
        shapes.put("70 authors (two statements)", filter(null, seventy, null, null, null, null));
        shapes.put("authors+until", filter(null, one, null, null, null, NOW - 100));
        shapes.put("kinds", filter(null, null, Set.of(1), null, null, null));
        shapes.put("3 kinds", filter(null, null, Set.of(1, 7, 30023), null, NOW - 900, null));
        shapes.put("authors+kinds", filter(null, one, Set.of(1), null, null, null));
        shapes.put("3 authors x 2 kinds", filter(null, three, Set.of(1, 7), null, null, NOW));
        shapes.put("70 authors x 2 kinds", filter(null, seventy, Set.of(1, 7), null, null, null));
        shapes.put("#t", filter(null, null, null, Map.of('t', Set.of("topic1")), null, null));
        shapes.put("#t of 3", filter(null, null, null, Map.of('t', Set.of("topic1", "topic2", "topic3")), null, null));
        shapes.put("#e", filter(null, null, null, Map.of('e', Set.of(HEX_A)), null, null));
        shapes.put("#p", filter(null, null, null, Map.of('p', Set.of(authors.get(5))), null, null));
        shapes.put("#e+#p", filter(null, null, null, Map.of('e', Set.of(HEX_A), 'p', three), null, null));
        shapes.put("#t+kinds+since", filter(null, null, Set.of(1), Map.of('t', Set.of("topic1")), NOW - 900, null));
        shapes.put("#e+authors", filter(null, one, null, Map.of('e', Set.of(HEX_A)), null, null));
        shapes.put("#t of 70 values", filter(null, null, null, Map.of('t',
                IntStream.range(0, 70).mapToObj(i -> "topic" + i).collect(Collectors.toSet())), null, null));
        shapes.put("ids", filter(Set.of(HEX_A), null, null, null, null, null));
        shapes.put("100 ids", filter(IntStream.range(0, 100).mapToObj(i -> String.format("%064x", i))
                .collect(Collectors.toSet()), null, null, null, null, null));
        shapes.put("ids+authors", filter(Set.of(HEX_A, HEX_B), three, null, null, null, null));
        return shapes;
    }

    private static Filter filter(Set<String> ids, Set<String> authors, Set<Integer> kinds,
                                 Map<Character, Set<String>> tags, Long since, Long until) {
        return new Filter(ids, authors, kinds, tags, since, until, 100);
    }

    @Test
    void theDrivingSetIsCutIntoStatementsOfAtMostMaxBranchesValues() {
        Filter seventyAuthors = filter(null, Set.copyOf(authors), null, null, null, null);
        assertEquals(2, FilterSql.select(seventyAuthors, 100, NOW).size());
        assertEquals(1, FilterSql.select(filter(Set.copyOf(authors), null, null, null, null, null), 100, NOW).size(),
                "ids are one lookup each, in one statement");
        assertEquals(List.of(), FilterSql.select(filter(Set.of("not hex"), null, null, null, null, null), 100, NOW),
                "an id that cannot be stored matches nothing");
    }

    /** Events stored through the real writer and the tag table give the same answers the plans promise. */
    @Test
    void aMultiValueTagConditionReturnsAnEventCarryingTwoOfItsValuesOnce(Vertx vertx, @TempDir Path dir) {
        SqliteEventStore store = StoreTesting.open(vertx, dir);
        EventSigner signer = EventSigner.random();
        Event both = signer.sign(NOW - 10, 1, List.of(List.of("t", "x"), List.of("t", "y")), "both");
        Event onlyY = signer.sign(NOW - 20, 1, List.of(List.of("t", "y")), "y");
        await(store.store(both));
        await(store.store(onlyY));
        assertEquals(StoreTesting.json(both, onlyY),
                await(store.query(List.of(StoreTesting.byTag('t', "x", "y")), 100, NOW)));
        await(store.close());
    }
}
