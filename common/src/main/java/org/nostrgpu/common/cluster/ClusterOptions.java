package org.nostrgpu.common.cluster;

import java.util.List;

/**
 * How a process joins the Vert.x cluster (Hazelcast, TCP-IP join with an explicit member list, multicast off).
 * {@link #standalone()} means no cluster: one JVM, local event bus (the embedded default).
 *
 * @param enabled    whether to start a clustered Vert.x at all
 * @param host       address this member binds and advertises for Hazelcast and the event bus
 * @param port       Hazelcast member port (the event bus picks its own port on the same host)
 * @param members    "host:port" of the other members to join (may include this one)
 * @param configFile optional Hazelcast XML/YAML file replacing the built-in defaults; null when absent
 */
public record ClusterOptions(boolean enabled, String host, int port, List<String> members, String configFile) {

    public static final int DEFAULT_PORT = 5701;

    public ClusterOptions {
        members = List.copyOf(members);
    }

    public static ClusterOptions standalone() {
        return new ClusterOptions(false, "127.0.0.1", DEFAULT_PORT, List.of(), null);
    }
}
