package org.nostrgpu.common.cluster;

import java.util.List;

/**
 * How a process joins the Vert.x cluster (Hazelcast, members found from an explicit list, multicast off).
 * {@link #standalone()} means no cluster: one JVM, local event bus (the embedded default).
 *
 * @param enabled    whether to start a clustered Vert.x at all
 * @param host       address this member binds and advertises for Hazelcast and the event bus
 * @param port       Hazelcast member port
 * @param members    "host:port" of the members to join (may include this one); a name may stand for several
 *                   members and need not resolve yet (see {@link MemberListDiscovery})
 * @param configFile optional Hazelcast XML/YAML file replacing the built-in defaults; null when absent
 * @param busPort    the event bus's port on the same host; 0 picks a free one
 */
public record ClusterOptions(boolean enabled, String host, int port, List<String> members, String configFile,
                             int busPort) {

    public static final int DEFAULT_PORT = 5701;
    /** A free port chosen at start. */
    public static final int ANY_BUS_PORT = 0;

    public ClusterOptions {
        members = List.copyOf(members);
        if (busPort < 0 || busPort > 65_535) {
            throw new IllegalArgumentException("event bus port out of range: " + busPort);
        }
    }

    /** With the event bus on a free port. */
    public ClusterOptions(boolean enabled, String host, int port, List<String> members, String configFile) {
        this(enabled, host, port, members, configFile, ANY_BUS_PORT);
    }

    public static ClusterOptions standalone() {
        return new ClusterOptions(false, "127.0.0.1", DEFAULT_PORT, List.of(), null);
    }
}
