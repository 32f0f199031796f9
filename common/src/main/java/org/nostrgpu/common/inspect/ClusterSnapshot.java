package org.nostrgpu.common.inspect;

import org.nostrgpu.common.bus.NodeStats;

import java.util.List;

/**
 * What one stats round brought back.
 *
 * @param timeMs       when the round started, epoch milliseconds
 * @param stats        every reply of the round, one per member and role
 * @param problems     replies that could not be read, and why
 * @param clusterNodes the cluster's node ids at the end of the round (the asking process included); empty when not
 *                     clustered
 * @param self         the asking process's node id
 */
public record ClusterSnapshot(long timeMs, List<NodeStats> stats, List<String> problems, List<String> clusterNodes,
                              String self) {
    public ClusterSnapshot {
        stats = List.copyOf(stats);
        problems = List.copyOf(problems);
        clusterNodes = List.copyOf(clusterNodes);
    }
}
