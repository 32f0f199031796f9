package org.nostrgpu.app;

import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.nostrgpu.app.NostrSocket.Ok;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.lifecycle.Startables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.app.RelayChecks.ANSWER_BOUND;
import static org.nostrgpu.app.RelayChecks.RELAY_FALLBACKS;
import static org.nostrgpu.app.RelayChecks.RELAY_VERDICTS;
import static org.nostrgpu.app.RelayChecks.WORKER_VERDICTS;
import static org.nostrgpu.app.RelayChecks.awaitLive;
import static org.nostrgpu.app.RelayChecks.awaitReplication;
import static org.nostrgpu.app.RelayChecks.awaitWorkerPath;
import static org.nostrgpu.app.RelayChecks.byAuthor;
import static org.nostrgpu.app.RelayChecks.now;
import static org.nostrgpu.app.RelayChecks.publishAccepted;
import static org.nostrgpu.app.RelayChecks.withCorruptedSignature;

/**
 * The image in real containers: a worker on the CPU and two relays, each started from the image with its
 * HEALTHCHECK as the readiness signal, finding each other by name on a Docker network ({@code worker},
 * {@code relay-a}, {@code relay-b}, each announcing itself by its own name) as Compose services do. Clients use the
 * relays' published ports with a real WebSocket client.
 *
 * <p>Each container's published port lives on Docker's default bridge, and the cluster on an internal network of
 * its own (reachable by its members only, as the cluster ports should be), joined before the container starts; so
 * {@code docker network disconnect} cuts a relay off the cluster (a partition) while its clients still reach it.
 * The tests run in order on one cluster: live delivery and storage across relays with the worker's verdicts; a
 * partition of relay B from the worker and relay A; relay B restarted; the worker stopped.
 *
 * <p>Skipped without a Docker engine ({@code disabledWithoutDocker}); CI fails when it was skipped. Container
 * output: {@code target/it-logs/container-*.log}.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterContainersIT {
    private static final Duration START_BOUND = Duration.ofMinutes(3);
    private static final String MEMBERS = "worker:5701,relay-a:5701,relay-b:5701";
    private static final String RELAY_CONFIG = """
            event-loops: 1
            verifier-threads: 1
            read-pool-size: 2
            verification:
              timeout-ms: 2000
            """;

    private static Network cluster;
    private static Member worker;
    private static Member relayA;
    private static Member relayB;
    private static NostrSocket socketA;
    private static NostrSocket socketB;

    /** One container of the cluster: the image with a role, a name on the cluster network, logs to a file. */
    static final class Member extends GenericContainer<Member> {
        private final String alias;

        Member(String image, String alias, String... command) {
            super(image);
            this.alias = alias;
            withCommand(command);
            withEnv("CLUSTER_HOST", alias);
            withEnv("CLUSTER_MEMBERS", MEMBERS);
            withEnv("CLUSTER_BUS_PORT", "5702");
            withEnv("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            waitingFor(Wait.forHealthcheck().withStartupTimeout(START_BOUND));
            withLogConsumer(frame -> appendLog(alias, frame.getUtf8String()));
        }

        /** Joins the cluster network before the container starts, so the member finds its name there at once. */
        @Override
        protected void containerIsCreated(String containerId) {
            getDockerClient().connectToNetworkCmd().withNetworkId(cluster.getId()).withContainerId(containerId)
                    .withContainerNetwork(new ContainerNetwork().withAliases(alias)).exec();
        }

        void disconnectFromCluster() {
            getDockerClient().disconnectFromNetworkCmd().withNetworkId(cluster.getId())
                    .withContainerId(getContainerId()).exec();
        }

        void reconnectToCluster() {
            containerIsCreated(getContainerId());
        }

        /** {@code docker restart}, then waits for the HEALTHCHECK to pass again. */
        void restart() throws InterruptedException {
            getDockerClient().restartContainerCmd(getContainerId()).withTimeout(30).exec();
            RelayChecks.awaitTrue(START_BOUND, alias + " healthy again after its restart", () -> "healthy".equals(
                    getDockerClient().inspectContainerCmd(getContainerId()).exec().getState().getHealth().getStatus()));
        }

        /** The host port published for the container port now (Docker may choose another one at a restart). */
        int currentPort(int port) {
            Ports.Binding[] bindings = getDockerClient().inspectContainerCmd(getContainerId()).exec()
                    .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(port));
            return Integer.parseInt(bindings[0].getHostPortSpec());
        }

        /** {@code docker stop}: SIGTERM, then the grace period; the container stays, stopped. */
        void stopGracefully() {
            getDockerClient().stopContainerCmd(getContainerId()).withTimeout(30).exec();
        }

        String metrics(int port) {
            return HttpProbe.metrics(getHost(), currentPort(port));
        }
    }

    @BeforeAll
    static void startWorkerAndTwoRelays() throws Exception {
        String image = AppImage.name();
        // internal: no gateway, so the default route and the published ports stay on the bridge network
        cluster = Network.builder().createNetworkCmdModifier(network -> network.withInternal(true)).build();
        worker = new Member(image, "worker", "worker", "--backend", "cpu", "--cpu-threads", "1")
                .withExposedPorts(6970);
        relayA = relay(image, "relay-a");
        relayB = relay(image, "relay-b");
        Startables.deepStart(worker, relayA, relayB).join();
        socketA = NostrSocket.open("relay-a", relayA.getHost(), relayA.getMappedPort(6969));
        socketB = NostrSocket.open("relay-b", relayB.getHost(), relayB.getMappedPort(6969));
    }

    private static Member relay(String image, String alias) {
        return new Member(image, alias, "relay")
                .withEnv("NOSTR_RELAY_CONFIG", "/config/relay.yaml")
                .withCopyToContainer(Transferable.of(RELAY_CONFIG), "/config/relay.yaml")
                .withExposedPorts(6969);
    }

    @AfterAll
    static void stopAll() {
        for (NostrSocket socket : new NostrSocket[]{socketA, socketB}) {
            if (socket != null) {
                socket.close();
            }
        }
        for (Member member : new Member[]{relayB, relayA, worker}) {
            if (member != null) {
                member.stop();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eventsPublishedOnAAreDeliveredLiveAndStoredByBWithTheWorkersVerdicts() throws Exception {
        awaitWorkerPath(socketA, () -> relayA.metrics(6969), START_BOUND);
        EventSigner author = EventSigner.random();
        BlockingQueue<String> live = socketB.subscribe(byAuthor(author));
        double workerInvalidBefore = workerVerdicts("invalid");

        Set<String> valid = new HashSet<>();
        Map<String, CompletableFuture<Ok>> oks = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            Event event = author.sign(now(), 1, List.of(), "across containers " + i);
            if (i % 5 == 4) {
                event = withCorruptedSignature(event);
            } else {
                valid.add(event.id());
            }
            oks.put(event.id(), socketA.publish(event));
        }
        for (Map.Entry<String, CompletableFuture<Ok>> answer : oks.entrySet()) {
            Ok ok = answer.getValue().get(ANSWER_BOUND.toSeconds(), TimeUnit.SECONDS);
            boolean expected = valid.contains(answer.getKey());
            assertEquals(expected ? "" : "invalid: bad signature", ok.message(), ok.toString());
            assertEquals(expected, ok.accepted(), ok.toString());
        }

        assertEquals(valid, awaitLive(live, valid), "relay B delivers exactly the accepted events live");
        assertEquals(valid, new HashSet<>(socketB.queryIds(byAuthor(author))), "relay B stores them");
        assertEquals(valid, new HashSet<>(socketA.queryIds(byAuthor(author))), "relay A stores them");
        assertTrue(workerVerdicts("invalid") - workerInvalidBefore >= 4,
                "the worker's metrics count the bad signatures it found: " + workerVerdictsText());
        assertTrue(workerVerdicts("valid") >= valid.size(), workerVerdictsText());
    }

    /**
     * Relay B cut off the cluster network: the worker and relay A are unreachable for it. Every event either relay
     * acknowledged during the partition is stored by the relay that acknowledged it (B verified on its CPU after
     * the request timed out or found no worker); once reconnected, B is part of the cluster again and replicates.
     */
    @Test
    @Order(2)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aPartitionedRelayLosesNoAcknowledgedEventAndRejoins() throws Exception {
        EventSigner author = EventSigner.random();
        double fallbacksBefore = fallbacks(relayB);
        relayB.disconnectFromCluster();
        Set<String> acknowledgedByA = new HashSet<>();
        Set<String> acknowledgedByB = new HashSet<>();
        try {
            for (int i = 0; i < 10; i++) {
                acknowledgedByA.add(publishAccepted(socketA, author.sign(now(), 1, List.of(), "on A, split " + i)));
                acknowledgedByB.add(publishAccepted(socketB, author.sign(now(), 1, List.of(), "on B, split " + i)));
            }
            assertTrue(fallbacks(relayB) - fallbacksBefore >= 1,
                    "B could not reach the worker and fell back: " + relayB.metrics(6969).lines()
                            .filter(line -> line.startsWith(RELAY_FALLBACKS)).toList());
        } finally {
            relayB.reconnectToCluster();
        }
        assertEquals(10, acknowledgedByA.size());
        assertEquals(10, acknowledgedByB.size());
        assertTrue(new HashSet<>(socketB.queryIds(byAuthor(author))).containsAll(acknowledgedByB),
                "B stored what it acknowledged while cut off");
        assertTrue(new HashSet<>(socketA.queryIds(byAuthor(author))).containsAll(acknowledgedByA));

        awaitReplication(socketB, socketA, ANSWER_BOUND);
        awaitReplication(socketA, socketB, ANSWER_BOUND);
        assertTrue(new HashSet<>(socketB.queryIds(byAuthor(author))).containsAll(acknowledgedByB),
                "still there after B rejoined the cluster");
    }

    /**
     * {@code docker restart} of relay B: a new JVM under the same name rejoins within the bound, replication works
     * both ways again, and what B stored before is still in its volume.
     */
    @Test
    @Order(3)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRestartedRelayRejoinsTheClusterWithItsData() throws Exception {
        EventSigner author = EventSigner.random();
        String before = publishAccepted(socketA, author.sign(now(), 1, List.of(), "before B restarts"));
        RelayChecks.awaitTrue(ANSWER_BOUND, "B never stored the event of A",
                () -> storedOn(socketB, author).contains(before));
        socketB.close();
        relayB.restart();
        socketB = NostrSocket.open("relay-b", relayB.getHost(), relayB.currentPort(6969));

        awaitReplication(socketA, socketB, ANSWER_BOUND);
        awaitReplication(socketB, socketA, ANSWER_BOUND);
        assertTrue(storedOn(socketB, author).contains(before), "B kept its data across the restart");
    }

    @Test
    @Order(4)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void withTheWorkerStoppedRelaysFallBackAndPublishingContinues() throws Exception {
        awaitWorkerPath(socketA, () -> relayA.metrics(6969), START_BOUND);
        double cpuVerdictsBefore = relayVerdicts(relayA, "cpu_fallback");
        worker.stopGracefully();

        EventSigner author = EventSigner.random();
        BlockingQueue<String> live = socketB.subscribe(byAuthor(author));
        Set<String> accepted = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            accepted.add(publishAccepted(socketA, author.sign(now(), 1, List.of(), "no worker " + i)));
        }
        Event forged = withCorruptedSignature(author.sign(now(), 1, List.of(), "forged, no worker"));
        assertEquals("invalid: bad signature", socketA.publish(forged).get(ANSWER_BOUND.toSeconds(),
                TimeUnit.SECONDS).message(), "without a worker signatures are still checked");
        assertTrue(relayVerdicts(relayA, "cpu_fallback") - cpuVerdictsBefore >= 11,
                "relay A verified on its CPU: " + HttpProbe.byLabel(relayA.metrics(6969), RELAY_VERDICTS, "path"));
        assertEquals(accepted, awaitLive(live, accepted), "the relays still replicate to each other");
    }

    // ---- helpers

    private static Set<String> storedOn(NostrSocket socket, EventSigner author) {
        try {
            return new HashSet<>(socket.queryIds(byAuthor(author)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double relayVerdicts(Member relay, String path) {
        return HttpProbe.sum(relay.metrics(6969), RELAY_VERDICTS, Map.of("path", path));
    }

    private static double fallbacks(Member relay) {
        return HttpProbe.sum(relay.metrics(6969), RELAY_FALLBACKS, Map.of());
    }

    private static double workerVerdicts(String outcome) {
        return HttpProbe.sum(worker.metrics(6970), WORKER_VERDICTS, Map.of("outcome", outcome));
    }

    private static String workerVerdictsText() {
        return HttpProbe.byLabel(worker.metrics(6970), WORKER_VERDICTS, "outcome").toString();
    }

    private static void appendLog(String alias, String text) {
        Path dir = Path.of(System.getProperty("nostr.it.logs", "target/it-logs"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("container-" + alias + ".log"), text, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
