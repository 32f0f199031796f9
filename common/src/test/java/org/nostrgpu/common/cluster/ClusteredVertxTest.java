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
import java.net.Socket;
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

    /**
     * The containers' case on loopback: a member bound to one address lists the other by a name that resolves to
     * a different address ({@code localhost} is 127.0.0.1, this member is 127.0.0.2), and the listed member started
     * first, alone, knowing nothing of it. Hazelcast's TCP-IP join with a pinned interface dropped such names and
     * both stayed one-member clusters; they must form one cluster, with the event bus on the pinned port.
     */
    @Test
    void aMemberListingAnotherByANameOfAnotherAddressJoinsIt() throws Exception {
        int portFirst = freePort();
        int portSecond = freePort();
        int busPort = freePort();
        List<String> members = List.of("localhost:" + portFirst);
        Vertx first = ClusteredVertx.start(new ClusterOptions(true, "127.0.0.1", portFirst, members, null),
                new VertxOptions()).await(60, TimeUnit.SECONDS);
        Vertx second = null;
        try {
            second = ClusteredVertx.start(new ClusterOptions(true, "127.0.0.2", portSecond, members, null,
                    busPort), new VertxOptions()).await(60, TimeUnit.SECONDS);
            second.eventBus().<String>consumer("cluster-test.names", message -> message.reply("from second"))
                    .completion().await(60, TimeUnit.SECONDS);
            Vertx sender = first;
            assertEquals("from second", retry(() -> sender.eventBus().<String>request("cluster-test.names", "?")
                    .map(message -> message.body()), 50).await(60, TimeUnit.SECONDS));
            try (Socket bus = new Socket("127.0.0.2", busPort)) {
                assertTrue(bus.isConnected(), "the event bus listens on the pinned port of the member's address");
            }
        } finally {
            if (second != null) {
                second.close().await(60, TimeUnit.SECONDS);
            }
            first.close().await(60, TimeUnit.SECONDS);
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
