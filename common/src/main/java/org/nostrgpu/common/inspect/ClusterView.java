package org.nostrgpu.common.inspect;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.bus.NodeStats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The picture {@code inspect} prints and {@code /status} draws, as JSON: each member with its roles, counters,
 * rates (per second, against the previous round), gauges and histograms (with the distribution of the last
 * interval), the cluster nodes that did not answer, unreadable replies, and the tail. The fields are documented
 * once, in {@code inspect --help}.
 */
public final class ClusterView {
    private ClusterView() {
    }

    /** @param previous the round before, for rates; null for none (rates are then absent) */
    public static JsonObject of(ClusterSnapshot previous, ClusterSnapshot current) {
        Map<String, NodeStats> before = new HashMap<>();
        if (previous != null) {
            for (NodeStats stats : previous.stats()) {
                before.put(stats.member() + "/" + stats.role(), stats);
            }
        }
        Map<String, JsonObject> members = new TreeMap<>();
        JsonArray events = new JsonArray();
        JsonArray verify = new JsonArray();
        for (NodeStats stats : current.stats()) {
            JsonObject member = members.computeIfAbsent(stats.member(), id -> new JsonObject()
                    .put("member", id).put("host", stats.host()).put("pid", stats.pid()).put("roles", new JsonArray()));
            member.getJsonArray("roles").add(stats.role());
            member.put(stats.role(), role(before.get(stats.member() + "/" + stats.role()), stats));
            stats.tailEvents().forEach(entry -> events.add(entry.copy().put("member", stats.member())));
            stats.tailVerify().forEach(entry -> verify.add(entry.copy().put("member", stats.member())));
        }
        Set<String> silent = new LinkedHashSet<>(current.clusterNodes());
        silent.removeAll(members.keySet());
        silent.remove(current.self());
        return new JsonObject()
                .put("timeMs", current.timeMs())
                .put("intervalMs", previous == null ? null : current.timeMs() - previous.timeMs())
                .put("clusterNodes", current.clusterNodes().size())
                .put("members", new JsonArray(new ArrayList<>(members.values())))
                .put("silentNodes", new JsonArray(new ArrayList<>(silent)))
                .put("problems", new JsonArray(current.problems()))
                .put("tail", new JsonObject().put("events", events).put("verify", verify));
    }

    private static JsonObject role(NodeStats before, NodeStats now) {
        double seconds = before == null ? 0 : (now.timeMs() - before.timeMs()) / 1000.0;
        JsonObject counters = new JsonObject();
        JsonObject rates = new JsonObject();
        new TreeMap<>(now.counters()).forEach((name, value) -> {
            counters.put(name, whole(value));
            if (seconds > 0) {
                double earlier = before.counters().getOrDefault(name, 0.0);
                rates.put(name, round2(Math.max(0, value - earlier) / seconds));
            }
        });
        JsonObject gauges = new JsonObject();
        new TreeMap<>(now.gauges()).forEach((name, value) -> gauges.put(name, whole(value)));
        JsonObject histograms = new JsonObject();
        new TreeMap<>(now.histograms()).forEach((name, histogram) ->
                histograms.put(name, histogram(before == null ? null : before.histograms().get(name), histogram)));
        return new JsonObject()
                .put("startedMs", now.startedMs())
                .put("info", new JsonObject(new TreeMap<>(now.info())))
                .put("counters", counters)
                .put("rates", seconds > 0 ? rates : null)
                .put("gauges", gauges)
                .put("histograms", histograms);
    }

    private static JsonObject histogram(NodeStats.Histogram before, NodeStats.Histogram now) {
        JsonObject json = new JsonObject()
                .put("count", now.count()).put("sum", round6(now.sum())).put("max", round6(now.max()))
                .put("mean", now.count() == 0 ? null : round6(now.sum() / now.count()))
                .put("buckets", bucketJson(now.buckets()));
        if (before != null) {
            long count = now.count() - before.count();
            double sum = now.sum() - before.sum();
            SortedMap<Double, Long> buckets = new TreeMap<>();
            now.buckets().forEach((le, n) -> buckets.put(le, n - before.buckets().getOrDefault(le, 0L)));
            json.put("recent", new JsonObject().put("count", count)
                    .put("mean", count <= 0 ? null : round6(sum / count))
                    .put("p50", quantile(buckets, count, 0.5))
                    .put("p99", quantile(buckets, count, 0.99))
                    .put("buckets", bucketJson(buckets)));
        }
        return json;
    }

    /** The upper bound of the bucket holding the q-quantile of the interval; null without observations. */
    static Double quantile(SortedMap<Double, Long> cumulative, long count, double q) {
        if (count <= 0) {
            return null;
        }
        double rank = Math.ceil(q * count);
        for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                return round6(bucket.getKey());
            }
        }
        return null; // above the last bound
    }

    private static JsonObject bucketJson(SortedMap<Double, Long> buckets) {
        JsonObject json = new JsonObject();
        List<Map.Entry<Double, Long>> entries = new ArrayList<>(buckets.entrySet());
        long previous = 0;
        for (Map.Entry<Double, Long> bucket : entries) {
            if (bucket.getValue() != previous) { // only the bounds where something happened, to stay small
                json.put(NodeStats.Histogram.bound(bucket.getKey()), bucket.getValue());
            }
            previous = bucket.getValue();
        }
        return json;
    }

    private static Number whole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Number) (long) value : (Number) round6(value);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double round6(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
