package org.nostrgpu.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapDefaultTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aServiceStartedWithoutHeapOptionsGetsTheDefault() {
        assertTrue(HeapDefault.applies(new String[] {"relay", "--port", "0"}, List.of("-XX:+UseG1GC"), null, false));
        assertTrue(HeapDefault.applies(new String[] {"worker"}, List.of(), "", false));
    }

    @Test
    void anExplicitHeapOptionTheSwitchTheChildItselfAndNonServicesAreLeftAlone() {
        for (String option : List.of("-Xmx1g", "-XX:MaxHeapSize=1g", "-XX:MaxRAMPercentage=50", "-XX:MaxRAM=2g")) {
            assertFalse(HeapDefault.applies(new String[] {"relay"}, List.of(option), null, false), option);
        }
        assertFalse(HeapDefault.applies(new String[] {"relay"}, List.of(), "off", false));
        assertFalse(HeapDefault.applies(new String[] {"relay"}, List.of(), null, true), "the child runs the service");
        assertFalse(HeapDefault.applies(new String[] {"relay", "--help"}, List.of(), null, false));
        assertFalse(HeapDefault.applies(new String[] {"--version"}, List.of(), null, false));
        assertFalse(HeapDefault.applies(new String[] {}, List.of(), null, false));
    }

    @Test
    void theHeapIsAQuarterOfTheMemoryWithinItsFloorAndCap() {
        assertEquals(256, HeapDefault.heapMiB(24L * 1024 * MIB), "a big machine: the cap");
        assertEquals(128, HeapDefault.heapMiB(512 * MIB), "a 512 MiB container: a quarter");
        assertEquals(64, HeapDefault.heapMiB(128 * MIB), "a tiny container: the floor");
    }

    @Test
    void aLauncherIsGivenTheSameDefaultAsAnOptionUnlessItsOptionsSizeTheHeap() {
        assertEquals(Optional.of("-Xmx128m"), HeapDefault.option(List.of("-XX:+UseSerialGC"), null, 512 * MIB));
        assertEquals(Optional.of("-Xmx256m"), HeapDefault.option(List.of(), "", 24L * 1024 * MIB));
        assertEquals(Optional.empty(), HeapDefault.option(List.of("-Xmx2g"), null, 512 * MIB));
        assertEquals(Optional.empty(), HeapDefault.option(List.of("-XX:MaxRAMPercentage=50"), null, 512 * MIB));
        assertEquals(Optional.empty(), HeapDefault.option(List.of(), "off", 512 * MIB));
    }

    @Test
    void theChildRunsTheSameJarAndOptionsWithTheHeapAndTheMarker() {
        List<String> command = HeapDefault.childCommand(Path.of("/jdk/bin/java"), List.of("-Dx=1"), 256,
                Path.of("/app/nostr-gpu-relay.jar"), new String[] {"relay", "--port", "6969"});
        assertEquals(List.of("/jdk/bin/java", "-Dx=1", "-Xmx256m", "-D" + HeapDefault.CHILD_PROPERTY + "=256",
                "-jar", "/app/nostr-gpu-relay.jar", "relay", "--port", "6969"), command);
    }
}
