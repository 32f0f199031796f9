package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code inspect}'s screen: the {@link org.nostrgpu.common.inspect.ClusterView} JSON as a few lines per member. */
final class InspectScreen {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private InspectScreen() {
    }

    static String render(JsonObject view) {
        StringBuilder text = new StringBuilder();
        JsonArray members = view.getJsonArray("members");
        text.append(String.format("cluster at %s: %d member(s) answered, %d cluster node(s)%s%n",
                CLOCK.format(Instant.ofEpochMilli(view.getLong("timeMs"))), members.size(), view.getInteger("clusterNodes"),
                view.getValue("intervalMs") == null ? " (rates from the next round on)" : ""));
        for (Object item : members) {
            JsonObject member = (JsonObject) item;
            text.append(String.format("%n%s  %s pid %d  [%s]%n", member.getString("member"), member.getString("host"),
                    member.getLong("pid"), String.join(" + ", member.getJsonArray("roles").getList())));
            JsonObject relay = member.getJsonObject("relay");
            if (relay != null) {
                relay(text, relay);
            }
            JsonObject worker = member.getJsonObject("worker");
            if (worker != null) {
                worker(text, worker);
            }
        }
        JsonArray silent = view.getJsonArray("silentNodes");
        if (!silent.isEmpty()) {
            text.append(String.format("%nnot answering (inspectors, or another version): %s%n",
                    String.join(", ", silent.getList())));
        }
        for (Object problem : view.getJsonArray("problems")) {
            text.append("problem: ").append(problem).append(System.lineSeparator());
        }
        return text.toString();
    }

    private static void relay(StringBuilder text, JsonObject relay) {
        JsonObject info = relay.getJsonObject("info");
        text.append(String.format("  relay   verification %s (%s)%n", info.getString("verification.path"),
                info.getString("verification.backend")));
        text.append(String.format("          events in %s, accepted %s, duplicate %s, rejected %s%n",
                both(relay, "events.received"), both(relay, "events.accepted"), both(relay, "events.duplicate"),
                grouped(relay, "events.rejected.")));
        text.append(String.format("          verify: requests %s, events %s, round trip %s; verdicts %s; fallbacks %s%n",
                both(relay, "verify.requests"), both(relay, "verify.events.requested"),
                latency(relay.getJsonObject("histograms").getJsonObject("verify.request.duration")),
                grouped(relay, "verdicts."), grouped(relay, "fallbacks.")));
        text.append(String.format("          replicated out %s, in %s; connections %s, subscriptions %s, REQ %s%n",
                both(relay, "replicated.out"), grouped(relay, "replicated.in."),
                gauge(relay, "connections.open"), gauge(relay, "subscriptions.open"), both(relay, "req")));
    }

    private static void worker(StringBuilder text, JsonObject worker) {
        JsonObject info = worker.getJsonObject("info");
        text.append(String.format("  worker  %s%s, because %s%n", info.getString("backend"),
                info.containsKey("device") ? " on " + info.getString("device") : "", info.getString("backend.reason")));
        JsonObject batch = worker.getJsonObject("histograms").getJsonObject("batch.size");
        text.append(String.format("          requests %s, events batched %s, refused %s; verdicts %s%n",
                both(worker, "bus.verify.requests.in"), both(worker, "events.batched"), both(worker, "events.refused"),
                grouped(worker, "verdicts.")));
        text.append(String.format("          queue %s, batches in flight %s of %s, batch size %s%n",
                gauge(worker, "queue.depth"), gauge(worker, "batches.in.flight"), gauge(worker, "max.in.flight.batches"),
                batch == null ? "-" : distribution(batch)));
    }

    /** "1234 (56.7/s)". */
    private static String both(JsonObject role, String counter) {
        Number total = role.getJsonObject("counters").getNumber(counter);
        JsonObject rates = role.getJsonObject("rates");
        Number rate = rates == null ? null : rates.getNumber(counter);
        return (total == null ? "0" : total.toString()) + (rate == null ? "" : " (" + number(rate.doubleValue()) + "/s)");
    }

    private static String grouped(JsonObject role, String prefix) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> counter : role.getJsonObject("counters")) {
            if (counter.getKey().startsWith(prefix) && ((Number) counter.getValue()).doubleValue() > 0) {
                parts.add(counter.getKey().substring(prefix.length()) + " " + both(role, counter.getKey()));
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String gauge(JsonObject role, String name) {
        Number value = role.getJsonObject("gauges").getNumber(name);
        return value == null ? "-" : value.toString();
    }

    private static String latency(JsonObject histogram) {
        if (histogram == null) {
            return "-";
        }
        JsonObject recent = histogram.getJsonObject("recent");
        Number mean = recent != null ? recent.getNumber("mean") : histogram.getNumber("mean");
        if (mean == null) {
            return "-";
        }
        Number p99 = recent == null ? null : recent.getNumber("p99");
        return "mean " + number(mean.doubleValue() * 1000) + " ms" + (p99 == null ? "" : ", p99 <= "
                + number(p99.doubleValue() * 1000) + " ms");
    }

    private static String distribution(JsonObject histogram) {
        JsonObject recent = histogram.getJsonObject("recent");
        JsonObject source = recent != null && recent.getLong("count") > 0 ? recent : histogram;
        Number mean = source.getNumber("mean");
        StringBuilder text = new StringBuilder(mean == null ? "-" : "mean " + number(mean.doubleValue()));
        long below = 0;
        List<String> buckets = new ArrayList<>();
        for (Map.Entry<String, Object> bucket : source.getJsonObject("buckets")) {
            long cumulative = ((Number) bucket.getValue()).longValue();
            if (cumulative > below) {
                buckets.add("<=" + bucket.getKey() + ": " + (cumulative - below));
            }
            below = cumulative;
        }
        if (!buckets.isEmpty()) {
            text.append(" [").append(String.join(", ", buckets)).append("]");
        }
        return text.toString();
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** The last tail entries across rounds, for the live screen. */
    static final class Tails {
        private static final int SHOWN = 15;
        private final ArrayDeque<String> events = new ArrayDeque<>();
        private final ArrayDeque<String> verify = new ArrayDeque<>();
        private boolean any;

        void add(JsonObject view) {
            JsonObject tail = view.getJsonObject("tail");
            for (Object item : tail.getJsonArray("events")) {
                JsonObject event = (JsonObject) item;
                keep(events, String.format("%s kind %d by %s…  %s  %s", CLOCK.format(Instant.ofEpochMilli(
                        event.getLong("timeMs"))), event.getInteger("kind"), event.getString("author").substring(0, 12),
                        event.getString("id").substring(0, 16), event.getString("content").replace('\n', ' ')));
            }
            for (Object item : tail.getJsonArray("verify")) {
                JsonObject request = (JsonObject) item;
                keep(verify, String.format("%s %5d events  %8.3f ms  %s  from %s", CLOCK.format(Instant.ofEpochMilli(
                        request.getLong("timeMs"))), request.getLong("events"),
                        request.getLong("roundTripMicros") / 1000.0, request.getString("status"),
                        request.getString("member")));
            }
        }

        String render() {
            if (!any) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            if (!events.isEmpty()) {
                text.append(String.format("%naccepted events (newest last):%n"));
                events.forEach(line -> text.append("  ").append(line).append(System.lineSeparator()));
            }
            if (!verify.isEmpty()) {
                text.append(String.format("%nverification requests (newest last):%n"));
                verify.forEach(line -> text.append("  ").append(line).append(System.lineSeparator()));
            }
            return text.toString();
        }

        private void keep(ArrayDeque<String> lines, String line) {
            any = true;
            lines.addLast(line);
            if (lines.size() > SHOWN) {
                lines.removeFirst();
            }
        }
    }
}
