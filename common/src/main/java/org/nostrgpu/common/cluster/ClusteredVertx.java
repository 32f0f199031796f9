package org.nostrgpu.common.cluster;

import com.hazelcast.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.nostrgpu.common.metrics.PrometheusMetrics;

import java.lang.System.Logger.Level;

/**
 * Starts the Vert.x instance of a relay or worker process: clustered through Hazelcast when
 * {@link ClusterOptions#enabled()} (configuration from {@link HazelcastSettings}), a plain local instance
 * otherwise (the embedded default). Vert.x's own metrics go to the given registry, so {@code /metrics} shows the
 * event bus and the cluster traffic.
 *
 * <p>The event bus listens on {@link ClusterOptions#host()} and {@link ClusterOptions#busPort()} (a free port when
 * 0); with a wildcard host Vert.x advertises the address Hazelcast chose instead.
 */
public final class ClusteredVertx {
    private static final System.Logger LOG = System.getLogger(ClusteredVertx.class.getName());

    private ClusteredVertx() {
    }

    /**
     * @param options  base options (event loops, ...); not modified
     * @param registry where Vert.x records its metrics; null for none
     * @return the started instance; failed when the cluster cannot be joined or its configuration is invalid
     */
    public static Future<Vertx> start(ClusterOptions cluster, VertxOptions options, MeterRegistry registry) {
        return start(cluster, ClusterTls.off(), options, registry);
    }

    /**
     * @param tls TLS with client certificates on the event bus ({@link ClusterTls}); ignored when not clustered
     */
    public static Future<Vertx> start(ClusterOptions cluster, ClusterTls tls, VertxOptions options,
                                      MeterRegistry registry) {
        VertxOptions effective = new VertxOptions(options);
        if (!cluster.enabled()) {
            return Future.succeededFuture(builder(effective, registry).build());
        }
        HazelcastClusterManager manager;
        try {
            HazelcastLogging.quiet();
            Config config = HazelcastSettings.forMember(cluster);
            MemberPort.checkFree(config, cluster);
            manager = new HazelcastClusterManager(config);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (!tls.enabled()) {
            LOG.log(Level.WARNING, "cluster event bus without TLS: anyone who reaches this member's event-bus and "
                    + "Hazelcast ports can publish replicated events and answer verification requests (see "
                    + "--cluster-tls-keystore)");
        }
        EventBusOptions eventBus = tls.applyTo(new EventBusOptions(effective.getEventBusOptions())
                .setPort(cluster.busPort()));
        if (!HazelcastSettings.isWildcard(cluster.host())) {
            eventBus.setHost(cluster.host());
        }
        effective.setEventBusOptions(eventBus);
        return builder(effective, registry).withClusterManager(manager).buildClustered()
                .onSuccess(vertx -> LOG.log(Level.INFO, "joined cluster \"" + manager.getConfig().getClusterName()
                        + "\" as " + HazelcastSettings.memberAddress(cluster) + " (node " + manager.getNodeId() + "), "
                        + manager.getNodes().size() + " member(s) now; configuration: "
                        + (cluster.configFile() == null ? "built-in defaults" : cluster.configFile())
                        + ", members listed: " + (cluster.members().isEmpty() ? "none" : cluster.members())
                        + "; event bus: " + tls.describe()))
                .onFailure(failure -> LOG.log(Level.WARNING, "could not join the cluster as "
                        + HazelcastSettings.memberAddress(cluster) + ": " + failure.getMessage()));
    }

    /**
     * Whether any member of the cluster has a consumer registered at the address (for health checks: is a
     * verification worker there at all). Looked up in the registrations Vert.x keeps in Hazelcast, off the event
     * loop; a member that left is no longer counted once Hazelcast has noticed. False for a Vert.x not clustered
     * through Hazelcast.
     */
    public static Future<Boolean> hasConsumers(Vertx vertx, String address) {
        if (!(vertx instanceof VertxInternal internal)
                || !(internal.clusterManager() instanceof HazelcastClusterManager manager)) {
            return Future.succeededFuture(false);
        }
        return vertx.executeBlocking(() -> manager.getHazelcastInstance()
                .getMultiMap(HazelcastSettings.SUBSCRIPTIONS_MULTIMAP).containsKey(address), false);
    }

    /** Plain {@link #start} for a process without metrics. */
    public static Future<Vertx> start(ClusterOptions cluster, VertxOptions options) {
        return start(cluster, options, null);
    }

    private static VertxBuilder builder(VertxOptions options, MeterRegistry registry) {
        return registry == null ? Vertx.builder().with(options) : PrometheusMetrics.vertxBuilder(options, registry);
    }
}
