package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar nostr-gpu-relay.jar relay} with no heap option: the relay runs in a child JVM with the bounded
 * heap default ({@link HeapDefault}) and serves; stopping the started JVM stops the child, and the child does not
 * outlive a killed parent.
 */
class HeapDefaultIT {
    private static final List<String> NO_HEAP_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED");
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void theRelayRunsInAChildWithTheHeapDefaultAndStopsWithItsParent(@TempDir Path work) throws Exception {
        for (boolean kill : List.of(false, true)) {
            int port = FreePorts.next();
            try (ChildJvm parent = ChildJvm.start("heap-default-" + kill, jar(), work.resolve("logs"), NO_HEAP_OPTIONS,
                    List.of("relay", "--host", "127.0.0.1", "--port", String.valueOf(port), "--data",
                            work.resolve("data-" + kill).toString(), "--verification", "local"))) {
                awaitTrue("the relay answers NIP-11: " + parent.logTail(20), () -> HttpProbe.relayInfo(port).isPresent());
                ProcessHandle child = onlyChild(parent.pid());
                String commandLine = child.info().commandLine().orElse("");
                assertTrue(commandLine.contains("-Xmx" + HeapDefault.heapMiB(totalMemory()) + "m"), commandLine);
                assertTrue(commandLine.contains("-D" + HeapDefault.CHILD_PROPERTY + "="), commandLine);
                if (kill) {
                    parent.kill();
                } else {
                    parent.terminate(BOUND);
                }
                assertTrue(child.onExit().get(BOUND.toSeconds(), TimeUnit.SECONDS) != null);
                assertFalse(child.isAlive(), "the child stops with its parent (" + (kill ? "SIGKILL" : "SIGTERM") + ")");
            }
        }
    }

    private static ProcessHandle onlyChild(long pid) {
        List<ProcessHandle> children = ProcessHandle.of(pid).orElseThrow().children().toList();
        assertEquals(1, children.size(), "one child JVM: " + children);
        return children.get(0);
    }

    private static long totalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("nostr.app.jar", "target/nostr-gpu-relay.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the IT runs the packaged jar; build it first (mvn package): " + jar);
        return jar;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + BOUND + ": " + what);
            }
            Thread.sleep(200);
        }
    }
}
