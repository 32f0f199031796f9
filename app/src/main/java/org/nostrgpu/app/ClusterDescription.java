package org.nostrgpu.app;

import org.nostrgpu.common.cluster.ClusterOptions;

/** How the start-up log names the event bus a process is on. */
final class ClusterDescription {
    private ClusterDescription() {
    }

    static String of(ClusterOptions options) {
        if (!options.enabled()) {
            return "local to this process (no cluster options)";
        }
        return "clustered (Hazelcast) as " + options.host() + ":" + options.port()
                + ", event bus port " + (options.busPort() == ClusterOptions.ANY_BUS_PORT ? "any free one"
                : Integer.toString(options.busPort()))
                + ", members " + (options.members().isEmpty() ? "none listed (waiting for others to join)"
                : String.join(",", options.members()))
                + (options.configFile() == null ? "" : ", Hazelcast configuration " + options.configFile());
    }
}
