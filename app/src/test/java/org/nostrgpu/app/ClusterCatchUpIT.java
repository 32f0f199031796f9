package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two clustered relays as separate JVMs from the built jar: relay B is stopped (SIGTERM) while relay A takes events,
 * then started again on the same data directory. Once B answers NIP-11 it serves every event it missed, with no
 * wait, because it catches up with A over the event bus before it listens for clients.
 */
class ClusterCatchUpIT {
    private static final Duration START_BOUND = Duration.ofSeconds(120);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aRelayStoppedWhileTheOtherTookEventsServesThemRightAfterItsRestart() throws Exception {
        Path jar = Path.of(System.getProperty("nostr.app.jar", "target/nostr-gpu-relay.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
        Path logDir = Path.of(System.getProperty("nostr.it.logs", "target/it-logs")).toAbsolutePath();
        int clusterA = FreePorts.next();
        int clusterB = FreePorts.next();
        String members = "127.0.0.1:" + clusterA + ",127.0.0.1:" + clusterB;
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        List<Event> before = SignedEvents.notes(30, 0);
        List<Event> missed = SignedEvents.notes(120, 1_000);
        try (ChildJvm relayA = relay("catch-up-a", jar, logDir, portA, clusterA, members);
             ChildJvm relayB = relay("catch-up-b", jar, logDir, portB, clusterB, members)) {
            awaitReady(relayA, portA);
            awaitReady(relayB, portB);
            publish(portA, before);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!stored(portB, before).equals(ids(before))) {
                assertTrue(System.nanoTime() < deadline, "replication to B did not arrive\n" + relayB.logTail(20));
                Thread.sleep(200);
            }
            stop(relayB);

            publish(portA, missed);
            try (ChildJvm restarted = relay("catch-up-b-restarted", jar, logDir, portB, clusterB, members)) {
                awaitReady(restarted, portB);
                assertEquals(ids(missed), stored(portB, missed), "B serves what it missed as soon as it is up\n"
                        + restarted.logTail(20));
                assertTrue(restarted.logText().contains("cluster catch-up with node"), restarted.logTail(20));
                stop(restarted);
            }
            stop(relayA);
        }
    }

    /** A relay whose data directory is named by {@code name} without "-restarted": a restart finds its database. */
    private ChildJvm relay(String name, Path jar, Path logDir, int port, int clusterPort, String members)
            throws Exception {
        return ChildJvm.start(name, jar, logDir, List.of("relay", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--data", work.resolve(name.replace("-restarted", "")).toString(),
                "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(clusterPort),
                "--cluster-members", members, "--verification", "local"));
    }

    /** SIGTERM: the relay closes its connections and database and says so before it exits. */
    private static void stop(ChildJvm relay) throws InterruptedException {
        relay.terminate(Duration.ofSeconds(60));
        assertTrue(relay.logText().contains("stopped cleanly"), relay.logTail(20));
    }

    private static void awaitReady(ChildJvm relay, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (HttpProbe.relayInfo(port).isEmpty()) {
            if (!relay.isAlive()) {
                fail(relay + " exited:\n" + relay.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                fail(relay + " did not answer NIP-11 within " + START_BOUND + "\n" + relay.logTail(40));
            }
            Thread.sleep(200);
        }
    }

    private static void publish(int port, List<Event> events) throws Exception {
        try (NostrSocket client = NostrSocket.open("publisher", port)) {
            List<CompletableFuture<NostrSocket.Ok>> oks = new ArrayList<>();
            events.forEach(event -> oks.add(client.publish(event)));
            for (CompletableFuture<NostrSocket.Ok> ok : oks) {
                assertTrue(ok.get(60, TimeUnit.SECONDS).accepted());
            }
        }
    }

    private static Set<String> stored(int port, List<Event> events) throws Exception {
        JsonArray ids = new JsonArray();
        events.forEach(event -> ids.add(event.id()));
        try (NostrSocket client = NostrSocket.open("reader", port)) {
            return new HashSet<>(client.queryIds(new JsonObject().put("ids", ids).put("limit", events.size())));
        }
    }

    private static Set<String> ids(List<Event> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.id()));
        return ids;
    }
}
