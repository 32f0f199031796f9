package org.nostrgpu.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One member's answer to a stats request, for one role (layout in {@link StatsProtocol}). A process that is a
 * relay and runs a worker in its JVM answers twice, with the same {@code member}.
 *
 * @param member     the member's cluster node id (the same in every role it answers for)
 * @param round      the request's round, echoed
 * @param role       {@link StatsProtocol#RELAY_ROLE} or {@link StatsProtocol#WORKER_ROLE}
 * @param startedMs  when the role started, epoch milliseconds
 * @param timeMs     when this answer was made, epoch milliseconds
 * @param info       what it runs and why, as text
 * @param counters   totals since start
 * @param gauges     values now
 * @param histograms distributions since start
 * @param tailEvents accepted events sampled since the previous request
 * @param tailVerify verification requests sampled since the previous request
 */
public record NodeStats(String member, long round, String role, String host, long pid, long startedMs, long timeMs,
                        Map<String, String> info, Map<String, Double> counters, Map<String, Double> gauges,
                        Map<String, Histogram> histograms, List<JsonObject> tailEvents, List<JsonObject> tailVerify) {
    /** Replies can carry two tails of {@link StatsProtocol#MAX_TAIL_ENTRIES} events of up to a few KiB each. */
    static final int MAX_REPLY_CHARS = 4 * 1024 * 1024;
    private static final Set<String> ROLES = Set.of(StatsProtocol.RELAY_ROLE, StatsProtocol.WORKER_ROLE);

    /**
     * A distribution: {@code buckets} maps each upper bound to the number of observations at or below it.
     */
    public record Histogram(long count, double sum, double max, SortedMap<Double, Long> buckets) {
        public Histogram {
            buckets = new TreeMap<>(buckets);
        }

        /** A bucket's upper bound as its JSON key: {@code "64"}, {@code "0.001"}. */
        public static String bound(double le) {
            return number(le).toString();
        }

        JsonObject toJson() {
            JsonObject bounds = new JsonObject();
            buckets.forEach((le, n) -> bounds.put(bound(le), n));
            return new JsonObject().put("count", count).put("sum", sum).put("max", max).put("buckets", bounds);
        }
    }

    public NodeStats {
        info = Map.copyOf(info);
        counters = Map.copyOf(counters);
        gauges = Map.copyOf(gauges);
        histograms = Map.copyOf(histograms);
        tailEvents = List.copyOf(tailEvents);
        tailVerify = List.copyOf(tailVerify);
    }

    /** The reply body. */
    public String encode() {
        JsonObject json = header()
                .put("member", member).put("round", round).put("role", role).put("host", host).put("pid", pid)
                .put("startedMs", startedMs).put("timeMs", timeMs)
                .put("info", new JsonObject(new TreeMap<>(info)))
                .put("counters", numbers(counters))
                .put("gauges", numbers(gauges));
        JsonObject histogramJson = new JsonObject();
        new TreeMap<>(histograms).forEach((name, histogram) -> histogramJson.put(name, histogram.toJson()));
        json.put("histograms", histogramJson);
        json.put("tail", new JsonObject().put("events", new JsonArray(new ArrayList<>(tailEvents)))
                .put("verify", new JsonArray(new ArrayList<>(tailVerify))));
        return json.encode();
    }

    /** The reply of a member that could not read a request. */
    public static String errorReply(String problem) {
        return header().put("error", problem).encode();
    }

    /**
     * @throws MalformedStatsMessageException naming what is wrong, or what the member said when it answered an
     *                                        error reply
     */
    public static NodeStats decode(Object body) {
        JsonObject json = StatsJson.object(body, "stats reply", MAX_REPLY_CHARS);
        StatsJson.checkHeader(json, "stats reply");
        if (json.containsKey("error")) {
            throw new MalformedStatsMessageException("the member could not read the request: "
                    + StatsJson.describe(json.getValue("error")));
        }
        String member = text(json, "member");
        String role = text(json, "role");
        if (!ROLES.contains(role)) {
            throw new MalformedStatsMessageException("stats reply \"role\" must be one of " + ROLES + ", got \""
                    + role + "\"");
        }
        JsonObject tail = object(json, "tail");
        return new NodeStats(member, integer(json, "round"), role, text(json, "host"), integer(json, "pid"), integer(json, "startedMs"),
                integer(json, "timeMs"), texts(object(json, "info")), doubles(object(json, "counters"), "counters"),
                doubles(object(json, "gauges"), "gauges"), histograms(object(json, "histograms")),
                objects(tail, "events"), objects(tail, "verify"));
    }

    private static JsonObject header() {
        return new JsonObject().put("protocol", StatsProtocol.PROTOCOL_NAME).put("version", StatsProtocol.FORMAT_VERSION);
    }

    private static JsonObject numbers(Map<String, Double> values) {
        JsonObject json = new JsonObject();
        new TreeMap<>(values).forEach((name, value) -> json.put(name, number(value)));
        return json;
    }

    /** Whole numbers as integers, so counts read as counts. */
    static Number number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Number) (long) value : (Number) value;
    }

    private static String text(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new MalformedStatsMessageException("stats reply \"" + field + "\" must be a non-empty string, got "
                    + StatsJson.describe(value));
        }
        return text;
    }

    private static long integer(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new MalformedStatsMessageException("stats reply \"" + field + "\" must be an integer, got "
                    + StatsJson.describe(value));
        }
        return ((Number) value).longValue();
    }

    private static JsonObject object(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof JsonObject object)) {
            throw new MalformedStatsMessageException("stats reply \"" + field + "\" must be an object, got "
                    + StatsJson.describe(value));
        }
        return object;
    }

    private static Map<String, String> texts(JsonObject json) {
        Map<String, String> values = new TreeMap<>();
        for (String name : json.fieldNames()) {
            Object value = json.getValue(name);
            values.put(name, value == null ? "" : value.toString());
        }
        return values;
    }

    private static Map<String, Double> doubles(JsonObject json, String section) {
        Map<String, Double> values = new TreeMap<>();
        for (String name : json.fieldNames()) {
            values.put(name, finite(json.getValue(name), section + "." + name));
        }
        return values;
    }

    private static double finite(Object value, String where) {
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw new MalformedStatsMessageException("stats reply \"" + where + "\" must be a number, got "
                    + StatsJson.describe(value));
        }
        return number.doubleValue();
    }

    private static Map<String, Histogram> histograms(JsonObject json) {
        Map<String, Histogram> values = new TreeMap<>();
        for (String name : json.fieldNames()) {
            Object value = json.getValue(name);
            if (!(value instanceof JsonObject histogram)) {
                throw new MalformedStatsMessageException("stats reply histogram \"" + name + "\" must be an object, got "
                        + StatsJson.describe(value));
            }
            String where = "histograms." + name;
            SortedMap<Double, Long> buckets = new TreeMap<>();
            JsonObject bounds = object(histogram, "buckets");
            for (String le : bounds.fieldNames()) {
                double bound;
                try {
                    bound = Double.parseDouble(le);
                } catch (NumberFormatException e) {
                    throw new MalformedStatsMessageException("stats reply \"" + where + "\" bucket bound \"" + le
                            + "\" is not a number");
                }
                buckets.put(bound, (long) finite(bounds.getValue(le), where + ".buckets." + le));
            }
            values.put(name, new Histogram((long) finite(histogram.getValue("count"), where + ".count"),
                    finite(histogram.getValue("sum"), where + ".sum"), finite(histogram.getValue("max"), where + ".max"),
                    buckets));
        }
        return values;
    }

    private static List<JsonObject> objects(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof JsonArray array) || array.size() > StatsProtocol.MAX_TAIL_ENTRIES) {
            throw new MalformedStatsMessageException("stats reply tail \"" + field + "\" must be an array of at most "
                    + StatsProtocol.MAX_TAIL_ENTRIES + " objects, got " + StatsJson.describe(value));
        }
        List<JsonObject> entries = new ArrayList<>(array.size());
        for (Object entry : array) {
            if (!(entry instanceof JsonObject object)) {
                throw new MalformedStatsMessageException("stats reply tail \"" + field + "\" holds "
                        + StatsJson.describe(entry) + ", not an object");
            }
            entries.add(object);
        }
        return entries;
    }
}
