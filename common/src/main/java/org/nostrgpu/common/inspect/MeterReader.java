package org.nostrgpu.common.inspect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.search.Search;
import org.nostrgpu.common.bus.NodeStats;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads a role's meters by name for its stats reply, so the stats come from the same numbers as {@code /metrics}
 * and nothing on the hot path counts twice. A meter that is not registered reads as zero (absent from a reply
 * for histograms).
 */
public final class MeterReader {
    private final MeterRegistry registry;

    public MeterReader(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The sum of the counts of every meter named {@code name} with these tags (key, value, ...). */
    public double count(String name, String... tags) {
        double total = 0;
        for (Meter meter : search(name, tags).meters()) {
            total += countOf(meter);
        }
        return total;
    }

    /**
     * Counts of meter {@code name} by the values of {@code tags}, joined with dots ({@code "worker.valid"} for
     * tags path and outcome).
     */
    public Map<String, Double> countsBy(String name, String... tags) {
        Map<String, Double> counts = new TreeMap<>();
        for (Meter meter : registry.find(name).meters()) {
            StringBuilder key = new StringBuilder();
            for (String tag : tags) {
                String value = meter.getId().getTag(tag);
                if (value == null) {
                    key = null;
                    break;
                }
                key.append(key.isEmpty() ? "" : ".").append(value);
            }
            if (key != null) {
                counts.merge(key.toString(), countOf(meter), Double::sum);
            }
        }
        return counts;
    }

    /** The value of gauge {@code name}, 0 when absent. */
    public double gauge(String name, String... tags) {
        Gauge gauge = search(name, tags).gauge();
        return gauge == null || Double.isNaN(gauge.value()) ? 0 : gauge.value();
    }

    /** A tag of the first meter named {@code name}, or null. */
    public String tag(String name, String tag) {
        Meter meter = registry.find(name).meter();
        return meter == null ? null : meter.getId().getTag(tag);
    }

    /** A distribution summary's histogram (its service-level buckets), or null when absent. */
    public NodeStats.Histogram summary(String name) {
        DistributionSummary summary = registry.find(name).summary();
        if (summary == null) {
            return null;
        }
        HistogramSnapshot snapshot = summary.takeSnapshot();
        SortedMap<Double, Long> buckets = new TreeMap<>();
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            buckets.put(bucket.bucket(), (long) bucket.count());
        }
        return new NodeStats.Histogram(snapshot.count(), snapshot.total(), snapshot.max(), buckets);
    }

    /** A timer's histogram in seconds (all timers with that name and these tags together), or null when absent. */
    public NodeStats.Histogram timer(String name, String... tags) {
        long count = 0;
        double sum = 0;
        double max = 0;
        SortedMap<Double, Long> buckets = new TreeMap<>();
        boolean found = false;
        for (Timer timer : search(name, tags).timers()) {
            found = true;
            HistogramSnapshot snapshot = timer.takeSnapshot();
            count += snapshot.count();
            sum += snapshot.total(TimeUnit.SECONDS);
            max = Math.max(max, snapshot.max(TimeUnit.SECONDS));
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                buckets.merge(bucket.bucket(TimeUnit.SECONDS), (long) bucket.count(), Long::sum);
            }
        }
        return found ? new NodeStats.Histogram(count, sum, max, buckets) : null;
    }

    private Search search(String name, String... tags) {
        Search search = registry.find(name);
        for (int i = 0; i + 1 < tags.length; i += 2) {
            search = search.tag(tags[i], tags[i + 1]);
        }
        return search;
    }

    private static double countOf(Meter meter) {
        if (meter instanceof Counter counter) {
            return counter.count();
        }
        if (meter instanceof FunctionCounter counter) {
            return counter.count();
        }
        if (meter instanceof Timer timer) {
            return timer.count();
        }
        if (meter instanceof DistributionSummary summary) {
            return summary.count();
        }
        return 0;
    }
}
