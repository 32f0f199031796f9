package org.nostrgpu.common.cluster;

import com.hazelcast.config.Config;
import org.nostrgpu.common.config.StartupException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks the Hazelcast member port before Hazelcast starts. Hazelcast reports a port in use itself, but through
 * several log records with stack traces, followed by a NullPointerException that Vert.x logs while leaving the
 * cluster it never joined; this check lets the operator read one line instead. Another process could still take the
 * port between the check and Hazelcast's bind: Hazelcast's own report then remains.
 */
final class MemberPort {
    private MemberPort() {
    }

    /**
     * @throws StartupException naming the address and why it cannot be bound; nothing when the configuration lets
     *         Hazelcast move to the next port (auto-increment)
     */
    static void checkFree(Config config, ClusterOptions cluster) {
        if (config.getNetworkConfig().isPortAutoIncrement()) {
            return;
        }
        int port = config.getNetworkConfig().getPort();
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // a connection lingering in TIME_WAIT does not make the port "in use"
            probe.bind(new InetSocketAddress(bindAddress(config, cluster), port));
        } catch (IOException e) {
            throw new StartupException("cluster port " + HazelcastSettings.memberAddress(cluster) + ": "
                    + StartupException.clause(e), e);
        }
    }

    /** Where Hazelcast will listen: every interface with {@code hazelcast.socket.bind.any} (its default), else the host. */
    private static InetAddress bindAddress(Config config, ClusterOptions cluster) throws IOException {
        String bindAny = config.getProperty("hazelcast.socket.bind.any");
        if (HazelcastSettings.isWildcard(cluster.host()) || bindAny == null || Boolean.parseBoolean(bindAny)) {
            return new InetSocketAddress(0).getAddress();
        }
        return InetAddress.getByName(cluster.host());
    }
}
