package org.nostrgpu.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every field of {@code inspect}'s output, with what it means: printed by {@code inspect --help} and checked
 * against real snapshots by a test, so a new counter cannot appear undocumented. A {@code *} stands for one
 * dot-free word (a tag value such as a prefix, a cause or an outcome).
 */
final class InspectFields {
    static final Map<String, String> TOP = fields(
            "timeMs", "when the stats round started (epoch ms)",
            "intervalMs", "time since the previous round; rates are per second over it (null in the first round)",
            "clusterNodes", "Hazelcast members now, this inspector included",
            "members[]", "one per member that answered: member (cluster node id), host, pid, roles, and a relay "
                    + "and/or worker object with startedMs, info, counters (totals since start), rates (per second), "
                    + "gauges (now) and histograms",
            "silentNodes[]", "cluster nodes that did not answer: inspectors, or members of another version",
            "problems[]", "replies that could not be read, and why",
            "tail.events[]", "with --tail-events: accepted events since the last round (member, timeMs, id, kind, "
                    + "author, createdAt, bytes, content cut to 80 characters)",
            "tail.verify[]", "with --tail-verify: verification requests since the last round (member, timeMs, "
                    + "events, roundTripMicros, status)");

    static final Map<String, String> RELAY = fields(
            "info.verification.path", "where signatures are verified: worker (event bus), local or none",
            "info.verification.reason", "why that path",
            "info.verification.backend", "the verification client and its fallback",
            "info.port", "the client (WebSocket) port",
            "counters.events.received", "EVENT messages read from clients",
            "counters.events.accepted", "events answered OK true \"\" (stored, or ephemeral and fanned out)",
            "counters.events.duplicate", "events answered OK true \"duplicate: ...\"",
            "counters.events.rejected.*", "events answered OK false, by prefix (invalid, blocked, rate-limited, "
                    + "restricted, error)",
            "counters.req", "REQ messages accepted",
            "counters.live.events.sent", "live events written to subscribers (one per matching subscription)",
            "counters.verify.requests", "verification requests sent to workers",
            "counters.verify.events.requested", "events in those requests",
            "counters.verdicts.*.*", "final verdicts by path (worker, cpu_fallback, reject_fallback, local) and "
                    + "outcome (valid, invalid, not_verified)",
            "counters.fallbacks.*", "events a worker did not decide, by cause (no_worker, timeout, overloaded, "
                    + "device_error, shutting_down, ...)",
            "counters.verify.overloaded", "events refused because the relay's verification queue was full",
            "counters.replicated.out", "accepted events this relay published to the other relays",
            "counters.replicated.in.*", "events received from other relays, by outcome (stored, ephemeral, "
                    + "known, corrupt, store_failed)",
            "counters.bus.verify.requests.out", "verification requests seen leaving on the event bus (bus tap)",
            "counters.bus.verify.events.out", "events in them (bus tap)",
            "counters.bus.events.published.out", "accepted-event messages published on the bus (bus tap)",
            "counters.stats.requests.malformed", "stats requests this member could not read",
            "gauges.connections.open", "client WebSocket connections",
            "gauges.subscriptions.open", "live subscriptions",
            "gauges.verify.queue.depth", "events waiting for a free verification slot",
            "gauges.verify.requests.in.flight", "verification requests outstanding",
            "histograms.verify.request.size", "events per verification request",
            "histograms.verify.request.duration", "verification round trip, request sent to reply (seconds)",
            "histograms.verify.duration", "one event's verification as ingest sees it (seconds)",
            "histograms.req.eose.duration", "REQ read to EOSE written (seconds)",
            "histograms.store.write.transaction.size", "events per store write transaction",
            "histograms.store.write.transaction.duration", "one store write transaction (seconds)");

    static final Map<String, String> WORKER = fields(
            "info.status", "UP, or STOPPING",
            "info.backend", "the verifier: CPU threads, or the CUDA device",
            "info.backend.kind", "cpu or cuda",
            "info.backend.reason", "why that backend was chosen",
            "info.device", "the GPU's name and memory (CUDA only)",
            "counters.batches", "backend calls",
            "counters.events.batched", "signatures handed to the backend",
            "counters.events.refused", "signatures answered OVERLOADED",
            "counters.verdicts.*", "backend verdicts by outcome (valid, invalid, not_verified)",
            "counters.replies.*", "replies by status (ok, overloaded, device_error, shutting_down, malformed_request)",
            "counters.bus.verify.requests.in", "verification requests seen arriving on the event bus (bus tap)",
            "counters.bus.verify.events.in", "events in them (bus tap)",
            "counters.stats.requests.malformed", "stats requests this member could not read",
            "gauges.queue.depth", "signatures waiting for the backend",
            "gauges.batches.in.flight", "backend calls running",
            "gauges.requests.pending", "requests received and not yet answered",
            "gauges.max.batch.size", "most signatures per backend call",
            "gauges.max.in.flight.batches", "most backend calls at once",
            "gauges.max.queued.events", "queue bound; beyond it requests are answered OVERLOADED",
            "histograms.batch.size", "signatures per backend call (buckets 1, 16, 64, ... 262144)",
            "histograms.batch.duration", "one backend call (seconds)",
            "histograms.request.duration", "request received to reply sent (seconds)");

    /** What every histogram holds. */
    static final String HISTOGRAM = "each histogram: count, sum, max, mean since start, buckets (upper bound → "
            + "cumulative count), and recent (count, mean, p50, p99, buckets of the last interval; p50/p99 are bucket "
            + "upper bounds)";

    private InspectFields() {
    }

    /** Whether {@code name} (e.g. "counters.events.rejected.invalid") is documented in {@code fields}. */
    static boolean documents(Map<String, String> fields, String name) {
        for (String pattern : fields.keySet()) {
            if (Pattern.matches(Pattern.quote(pattern).replace("*", "\\E[^.]+\\Q"), name)) {
                return true;
            }
        }
        return false;
    }

    /** The help text's field list. */
    static String help() {
        StringBuilder text = new StringBuilder("Fields (--json; the screen shows the same, abbreviated):%n");
        append(text, "", TOP);
        text.append("%nmembers[].relay:%n");
        append(text, "", RELAY);
        text.append("%nmembers[].worker:%n");
        append(text, "", WORKER);
        text.append("%n").append(HISTOGRAM.replace("%", "%%")).append("%n");
        return text.toString();
    }

    private static void append(StringBuilder text, String prefix, Map<String, String> fields) {
        fields.forEach((name, meaning) -> text.append("  ").append(prefix).append(name).append(": ")
                .append(meaning.replace("%", "%%")).append("%n"));
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields;
    }
}
