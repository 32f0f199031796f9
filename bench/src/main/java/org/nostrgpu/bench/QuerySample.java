package org.nostrgpu.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Values to query for, read from the relay itself with NIP-01 REQs only, so the same mix runs against any relay
 * holding the same corpus: the newest and oldest created_at (found by probing {@code until}), then the newest
 * {@code limit} events before each of {@value #POINTS} instants spread over that span, whose ids, authors, kinds and
 * e/p/t tag values become the pools the query shapes pick from. Each probe's time range becomes a since/until
 * window holding {@code limit} events.
 */
public record QuerySample(List<String> ids, List<String> authors, List<Integer> kinds, List<String> eTags,
                   List<String> pTags, List<String> tTags, List<long[]> windows) {
    static final int POINTS = 40;

    static QuerySample discover(Function<String, List<String>> reqEvents, int limit) {
        List<String> newest = reqEvents.apply("{\"limit\":1}");
        if (newest.isEmpty()) {
            throw new IllegalStateException("the relay returned no events; fill it first");
        }
        long newestAt = new JsonObject(newest.get(0)).getLong("created_at");
        long oldestAt = oldest(reqEvents, newestAt);
        Set<String> ids = new LinkedHashSet<>();
        Set<String> authors = new LinkedHashSet<>();
        Set<Integer> kinds = new LinkedHashSet<>();
        Set<String> eTags = new LinkedHashSet<>();
        Set<String> pTags = new LinkedHashSet<>();
        Set<String> tTags = new LinkedHashSet<>();
        List<long[]> windows = new ArrayList<>();
        for (int point = 0; point < POINTS; point++) {
            long until = oldestAt + (newestAt - oldestAt) * (point + 1) / POINTS;
            long since = Long.MAX_VALUE;
            List<String> events = reqEvents.apply("{\"until\":" + until + ",\"limit\":" + limit + "}");
            for (String json : events) {
                JsonObject event = new JsonObject(json);
                ids.add(event.getString("id"));
                authors.add(event.getString("pubkey"));
                kinds.add(event.getInteger("kind"));
                since = Math.min(since, event.getLong("created_at"));
                for (Object tag : event.getJsonArray("tags")) {
                    JsonArray values = (JsonArray) tag;
                    if (values.size() >= 2) {
                        switch (values.getString(0)) {
                            case "e" -> eTags.add(values.getString(1));
                            case "p" -> pTags.add(values.getString(1));
                            case "t" -> tTags.add(values.getString(1));
                            default -> { }
                        }
                    }
                }
            }
            if (events.size() == limit) {
                windows.add(new long[] {since, until});
            }
        }
        return new QuerySample(List.copyOf(ids), List.copyOf(authors), List.copyOf(kinds), List.copyOf(eTags),
                List.copyOf(pTags), List.copyOf(tTags), List.copyOf(windows));
    }

    /** The oldest created_at, to the second: doubling steps back from the newest, then bisection. */
    private static long oldest(Function<String, List<String>> reqEvents, long newestAt) {
        long step = 1;
        long known = newestAt; // an instant with an event at or before it
        while (step < newestAt && !reqEvents.apply("{\"until\":" + (newestAt - step) + ",\"limit\":1}").isEmpty()) {
            known = newestAt - step;
            step *= 2;
        }
        long empty = Math.max(0, newestAt - step); // no event at or before it (or 0)
        while (known - empty > 1) {
            long middle = empty + (known - empty) / 2;
            if (reqEvents.apply("{\"until\":" + middle + ",\"limit\":1}").isEmpty()) {
                empty = middle;
            } else {
                known = middle;
            }
        }
        return known;
    }

    String describe() {
        return String.format("sample: %d ids, %d authors, kinds %s, %d e / %d p / %d t tag values, %d windows",
                ids.size(), authors.size(), kinds, eTags.size(), pTags.size(), tTags.size(), windows.size());
    }
}
