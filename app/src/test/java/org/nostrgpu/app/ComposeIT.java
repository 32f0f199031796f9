package org.nostrgpu.app;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nostrgpu.common.event.EventSigner;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.nostrgpu.app.RelayChecks.WORKER_VERDICTS;
import static org.nostrgpu.app.RelayChecks.awaitLive;
import static org.nostrgpu.app.RelayChecks.awaitTrue;
import static org.nostrgpu.app.RelayChecks.awaitWorkerPath;
import static org.nostrgpu.app.RelayChecks.byAuthor;
import static org.nostrgpu.app.RelayChecks.now;
import static org.nostrgpu.app.RelayChecks.publishAccepted;

/**
 * The repository's {@code compose.yaml} with the CPU override, as a developer starts it: the image built by
 * {@code compose build} from the packaged jar, then {@code up -d} with two
 * relays and the CPU worker, every container healthy by its image's HEALTHCHECK (the worker started only once the
 * relays were), events published through one relay's published port and read back, live and stored, through the
 * other's; the worker verified them. Then {@code down -v}.
 *
 * <p>Uses {@code docker compose} (v2) when the Docker CLI has it, else {@code docker-compose} (v1); skipped without a
 * Docker engine or without either command. The published ports are chosen by Docker on loopback ({@code RELAY_PORTS}
 * and {@code WORKER_HEALTH_PORT} set to {@code 127.0.0.1:}), so nothing on this machine has to be free. The stack's
 * logs: {@code target/it-logs/compose.log}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeIT {
    private static final Duration UP_BOUND = Duration.ofMinutes(4);
    private static final String IMAGE = "nostr-gpu-relay:compose-it";

    private static List<String> composeCommand;
    private static Path root;
    private static String project;
    private static Map<String, String> environment;

    @BeforeAll
    static void startTheStackWithTwoRelaysOnTheCpu() throws Exception {
        composeCommand = findCompose();
        Assumptions.assumeTrue(composeCommand != null,
                "neither 'docker compose' nor 'docker-compose' is installed: the Compose test is skipped");
        root = Path.of(System.getProperty("nostr.repo.root", "..")).toAbsolutePath().normalize();
        project = "nostrit" + UUID.randomUUID().toString().substring(0, 8);
        environment = Map.of("NOSTR_IMAGE", IMAGE, "RELAY_PORTS", "127.0.0.1:", "WORKER_HEALTH_PORT", "127.0.0.1:");
        // the image as compose.yaml builds it: repository root as context (.dockerignore keeps it to the jar and
        // deploy/), BASE_IMAGE from the environment when set
        compose(UP_BOUND, "build", "relay");
        compose(UP_BOUND, "up", "-d", "--scale", "relay=2");
    }

    @AfterAll
    static void down() throws Exception {
        if (project == null) {
            return;
        }
        try {
            Path logs = Path.of(System.getProperty("nostr.it.logs", "target/it-logs"));
            Files.createDirectories(logs);
            Files.writeString(logs.resolve("compose.log"), compose(Duration.ofMinutes(1), "logs", "--no-color"));
        } finally {
            compose(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void twoRelaysAndTheCpuWorkerComeUpHealthyAndServeThroughTheirPublishedPorts() throws Exception {
        List<String> containers = List.of(compose(Duration.ofMinutes(1), "ps", "-q").strip().split("\\s+"));
        assertEquals(3, containers.size(), "two relays and the CPU worker (the GPU worker left out): " + containers);
        DockerClient docker = DockerClientFactory.instance().client();
        awaitTrue(UP_BOUND, "every container healthy", () -> containers.stream().allMatch(id -> {
            HealthState health = docker.inspectContainerCmd(id).exec().getState().getHealth();
            return health != null && "healthy".equals(health.getStatus());
        }));

        for (String id : containers) {
            // the entry point gives the heap default as an option: one JVM per container, the service itself
            List<String> javas = Stream.of(docker.topContainerCmd(id).withPsArgs("-eo pid,args").exec().getProcesses())
                    .map(process -> String.join(" ", process)).filter(line -> line.contains("java ")).toList();
            assertEquals(1, javas.size(), "one JVM in " + id + ": " + javas);
            assertTrue(javas.get(0).contains("-Xmx"), "with the heap default: " + javas);
        }

        HostPort first = published("relay", 1, 6969);
        HostPort second = published("relay", 2, 6969);
        HostPort worker = published("worker-cpu", 1, 6970);
        try (NostrSocket toFirst = NostrSocket.open("relay 1", first.host(), first.port());
             NostrSocket toSecond = NostrSocket.open("relay 2", second.host(), second.port())) {
            awaitWorkerPath(toFirst, () -> HttpProbe.metrics(first.host(), first.port()), UP_BOUND);
            EventSigner author = EventSigner.random();
            BlockingQueue<String> live = toSecond.subscribe(byAuthor(author));
            Set<String> accepted = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                accepted.add(publishAccepted(toFirst, author.sign(now(), 1, List.of(), "through compose " + i)));
            }
            assertEquals(accepted, awaitLive(live, accepted), "the second relay delivers them live");
            assertEquals(accepted, new HashSet<>(toSecond.queryIds(byAuthor(author))), "and stores them");
        }
        double verdicts = HttpProbe.sum(HttpProbe.metrics(worker.host(), worker.port()), WORKER_VERDICTS,
                Map.of("outcome", "valid"));
        assertTrue(verdicts >= 5, "the worker verified them: " + verdicts);
    }

    private record HostPort(String host, int port) {
    }

    /** Where {@code compose port} says the index-th container of the service publishes the port. */
    private static HostPort published(String service, int index, int port) throws Exception {
        String answer = compose(Duration.ofMinutes(1), "port", "--index=" + index, service, Integer.toString(port))
                .strip();
        int colon = answer.lastIndexOf(':');
        if (colon < 0) {
            fail(service + " #" + index + " publishes no port " + port + ": " + answer);
        }
        return new HostPort(answer.substring(0, colon), Integer.parseInt(answer.substring(colon + 1)));
    }

    /** Runs the Compose command on this stack and returns its standard output; fails on a non-zero exit. */
    private static String compose(Duration bound, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(composeCommand);
        command.addAll(List.of("-f", "compose.yaml", "-f", "compose.cpu.yaml", "-p", project));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("compose", ".out");
        Path errors = Files.createTempFile("compose", ".err");
        builder.redirectOutput(output.toFile()).redirectError(errors.toFile());
        try {
            Process process = builder.start();
            if (!process.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + bound);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + printed
                        + Files.readString(errors, StandardCharsets.UTF_8));
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    /** {@code docker compose} when the Docker CLI has the plugin, else {@code docker-compose}; null for neither. */
    private static List<String> findCompose() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
