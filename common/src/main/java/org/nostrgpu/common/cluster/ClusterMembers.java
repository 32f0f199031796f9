package org.nostrgpu.common.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.UUID;

/** Cluster membership as the relay needs it: being told when another member joins. */
public final class ClusterMembers {
    private ClusterMembers() {
    }

    /**
     * Calls {@code onJoin} (on a Hazelcast thread) each time another member joins the cluster this Vert.x instance
     * belongs to, including the members of the other side when a split cluster merges again.
     *
     * @return stops the notifications; a no-op when the instance is not clustered through Hazelcast
     */
    public static Runnable onMemberAdded(Vertx vertx, Runnable onJoin) {
        if (!(vertx instanceof VertxInternal internal)
                || !(internal.clusterManager() instanceof HazelcastClusterManager hazelcast)
                || hazelcast.getHazelcastInstance() == null) {
            return () -> { };
        }
        UUID registration = hazelcast.getHazelcastInstance().getCluster().addMembershipListener(
                new MembershipListener() {
                    @Override
                    public void memberAdded(MembershipEvent event) {
                        onJoin.run();
                    }

                    @Override
                    public void memberRemoved(MembershipEvent event) {
                        // a member that left has nothing to give; it catches up itself when it comes back
                    }
                });
        return () -> {
            if (hazelcast.getHazelcastInstance() != null && hazelcast.getHazelcastInstance().getLifecycleService()
                    .isRunning()) {
                hazelcast.getHazelcastInstance().getCluster().removeMembershipListener(registration);
            }
        };
    }
}
