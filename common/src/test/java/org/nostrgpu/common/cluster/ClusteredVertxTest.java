package org.nostrgpu.common.cluster;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.metrics.PrometheusMetrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusteredVertxTest {

    @Test
    void withoutClusterOptionsTheInstanceIsLocal() throws Exception {
        Vertx vertx = ClusteredVertx.start(ClusterOptions.standalone(), new VertxOptions()).await(60, TimeUnit.SECONDS);
        try {
            assertFalse(vertx.isClustered());
        } finally {
            vertx.close().await(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoMembersOnLoopbackShareOneEventBus() throws Exception {
        int portA = freePort();
        int portB = freePort();
        List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
        Vertx a = ClusteredVertx.start(new ClusterOptions(true, "127.0.0.1", portA, members, null),
                new VertxOptions(), registry).await(60, TimeUnit.SECONDS);
        Vertx b = null;
        try {
            b = ClusteredVertx.start(new ClusterOptions(true, "127.0.0.1", portB, members, null),
                    new VertxOptions()).await(60, TimeUnit.SECONDS);
            assertTrue(a.isClustered() && b.isClustered());
            a.eventBus().<String>consumer("cluster-test.echo", message -> message.reply("echo " + message.body()))
                    .completion().await(60, TimeUnit.SECONDS);
            Vertx sender = b;
            String reply = retry(() -> sender.eventBus().<String>request("cluster-test.echo", "hello")
                    .map(message -> message.body()), 20).await(60, TimeUnit.SECONDS);
            assertEquals("echo hello", reply);
            assertTrue(registry.scrape().contains("vertx_eventbus"), "Vert.x metrics are recorded in the registry");
        } finally {
            if (b != null) {
                b.close().await(60, TimeUnit.SECONDS);
            }
            a.close().await(60, TimeUnit.SECONDS);
        }
    }

    /** A consumer registered on one member becomes visible to the others shortly after, not at once. */
    private static <T> Future<T> retry(java.util.function.Supplier<Future<T>> attempt, int attemptsLeft) {
        return attempt.get().recover(failure -> {
            if (attemptsLeft <= 1) {
                return Future.failedFuture(failure);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return retry(attempt, attemptsLeft - 1);
        });
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
