package org.nostrgpu.relay.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers shared by the store tests. */
final class StoreTesting {
    static final long NOW = 1_700_000_000L;
    private static final long WAIT_SECONDS = 30;

    private StoreTesting() {
    }

    /** The result, waiting at most {@value #WAIT_SECONDS} s; a failure is thrown as it is. */
    static <T> T await(Future<T> future) {
        try {
            return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + WAIT_SECONDS + " s", e);
        }
    }

    /** The failure of a future that must fail. */
    static <T> Throwable awaitFailure(Future<T> future) {
        AsyncResult<T> completed = await(future.transform(Future::succeededFuture));
        if (completed.succeeded()) {
            throw new AssertionError("expected a failure, got " + completed.result());
        }
        return completed.cause();
    }

    static SqliteEventStore open(Vertx vertx, Path dir) {
        return await(SqliteEventStore.open(vertx, StoreOptions.forFile(dir.resolve("events.sqlite3"), 2, 1000)));
    }

    /** The first column of the first row of {@code sql}, read through a connection of its own. */
    static String stringElsewhere(Path file, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** {@link #stringElsewhere} as a number. */
    static long longElsewhere(Path file, String sql) throws SQLException {
        return Long.parseLong(stringElsewhere(file, sql));
    }

    static Filter filter() {
        return new Filter(null, null, null, null, null, null, null);
    }

    static Filter byAuthor(String pubkey) {
        return new Filter(null, Set.of(pubkey), null, null, null, null, null);
    }

    static Filter byIds(String... ids) {
        return new Filter(Set.of(ids), null, null, null, null, null, null);
    }

    static Filter byTag(char name, String... values) {
        return new Filter(null, null, null, Map.of(name, Set.of(values)), null, null, null);
    }

    static List<String> json(Event... events) {
        return java.util.Arrays.stream(events).map(Event::toJson).toList();
    }

    static List<List<String>> tags(List<?>... tags) {
        return java.util.Arrays.stream(tags).map(tag -> tag.stream().map(String::valueOf).toList()).toList();
    }
}
