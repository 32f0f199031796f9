package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the store tests. */
final class StoreTesting {
    static final long NOW = 1_700_000_000L;

    private StoreTesting() {
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not complete successfully", e);
        }
    }

    static Throwable awaitFailure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    static SqliteEventStore open(Vertx vertx, Path dir) {
        return await(SqliteEventStore.open(vertx, StoreOptions.forFile(dir.resolve("events.sqlite3"), 2, 1000)));
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
