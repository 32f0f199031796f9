package org.nostrgpu.relay.inspect;

import io.micrometer.core.instrument.MeterRegistry;
import org.nostrgpu.common.bus.NodeStats;
import org.nostrgpu.common.inspect.MeterReader;
import org.nostrgpu.common.inspect.StatsSection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A relay's part of a stats reply, read from the meters it serves at {@code /metrics} (so the two never disagree
 * and nothing on the event path counts twice). The names are the ones {@code inspect --help} documents.
 */
public final class RelayStatsSource implements Supplier<StatsSection> {
    private final MeterReader meters;
    private final Map<String, String> info;

    /** @param info what the relay runs (verification path, backend and why), fixed at start */
    public RelayStatsSource(MeterRegistry registry, Map<String, String> info) {
        this.meters = new MeterReader(registry);
        this.info = Map.copyOf(info);
    }

    @Override
    public StatsSection get() {
        Map<String, Double> counters = new LinkedHashMap<>();
        counters.put("events.received", meters.count("nostr.relay.events.received"));
        counters.put("events.accepted", meters.count("nostr.relay.events.accepted"));
        counters.put("events.duplicate", meters.count("nostr.relay.events.duplicate"));
        meters.countsBy("nostr.relay.events.rejected", "prefix")
                .forEach((prefix, n) -> counters.put("events.rejected." + prefix, n));
        counters.put("req", meters.count("nostr.relay.req"));
        counters.put("live.events.sent", meters.count("nostr.relay.live.events.sent"));
        NodeStats.Histogram requests = meters.summary("nostr.relay.verify.request.size");
        counters.put("verify.requests", requests == null ? 0.0 : requests.count());
        counters.put("verify.events.requested", requests == null ? 0.0 : requests.sum());
        meters.countsBy("nostr.relay.verify.verdicts", "path", "outcome")
                .forEach((pathAndOutcome, n) -> counters.put("verdicts." + pathAndOutcome, n));
        meters.countsBy("nostr.relay.verify.fallbacks", "cause")
                .forEach((cause, n) -> counters.put("fallbacks." + cause, n));
        counters.put("verify.overloaded", meters.count("nostr.relay.verify.overloaded"));
        counters.put("replicated.out", meters.count("nostr.relay.replication.published"));
        meters.countsBy("nostr.relay.replication.received", "outcome")
                .forEach((outcome, n) -> counters.put("replicated.in." + outcome, n));

        Map<String, Double> gauges = new LinkedHashMap<>();
        gauges.put("connections.open", meters.gauge("nostr.relay.connections.open"));
        gauges.put("subscriptions.open", meters.gauge("nostr.relay.subscriptions.open"));
        gauges.put("verify.queue.depth", meters.gauge("nostr.relay.verify.queue.depth"));
        gauges.put("verify.requests.in.flight", meters.gauge("nostr.relay.verify.requests.in.flight"));

        Map<String, NodeStats.Histogram> histograms = new LinkedHashMap<>();
        put(histograms, "verify.request.size", requests);
        put(histograms, "verify.request.duration", meters.timer("nostr.relay.verify.request.duration"));
        put(histograms, "verify.duration", meters.timer("nostr.relay.verify.duration"));
        put(histograms, "req.eose.duration", meters.timer("nostr.relay.req.eose.duration"));
        put(histograms, "store.write.transaction.size", meters.summary("nostr.relay.store.write.transaction.size"));
        put(histograms, "store.write.transaction.duration",
                meters.timer("nostr.relay.store.write.transaction.duration"));
        return new StatsSection(info, counters, gauges, histograms);
    }

    private static void put(Map<String, NodeStats.Histogram> histograms, String name, NodeStats.Histogram histogram) {
        if (histogram != null) {
            histograms.put(name, histogram);
        }
    }
}
