package org.nostrgpu.common.inspect;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who a member is in stats replies: its cluster node id (the same for every role the process plays), its host
 * name and process id. A process that is not clustered calls itself {@code local-<pid>}.
 */
public record MemberIdentity(String member, String host, long pid) {
    private static final String HOST = hostName();

    public static MemberIdentity of(Vertx vertx) {
        long pid = ProcessHandle.current().pid();
        String member = vertx.isClustered() ? ((VertxInternal) vertx).clusterManager().getNodeId() : "local-" + pid;
        return new MemberIdentity(member, HOST, pid);
    }

    /** The node ids of the cluster's members now (this process included); empty when not clustered. */
    public static List<String> clusterNodes(Vertx vertx) {
        return vertx.isClustered() ? List.copyOf(((VertxInternal) vertx).clusterManager().getNodes()) : List.of();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
