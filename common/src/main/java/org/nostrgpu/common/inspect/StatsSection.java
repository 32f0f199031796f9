package org.nostrgpu.common.inspect;

import org.nostrgpu.common.bus.NodeStats;

import java.util.Map;

/** What one role reports about itself in a stats reply; see {@link org.nostrgpu.common.bus.StatsProtocol}. */
public record StatsSection(Map<String, String> info, Map<String, Double> counters, Map<String, Double> gauges,
                           Map<String, NodeStats.Histogram> histograms) {
}
