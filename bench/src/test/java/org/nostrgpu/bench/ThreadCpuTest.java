package org.nostrgpu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    @Test
    void groupsThreadsByTheNamesTheRelayGivesThem() {
        assertEquals("JIT", ThreadCpu.groupOf("C2 CompilerThre"));
        assertEquals("store writer", ThreadCpu.groupOf("sqlite-writer-0"));
        assertEquals("event loops", ThreadCpu.groupOf("vert.x-eventloo"));
        assertEquals("verification", ThreadCpu.groupOf("cpu-verifier-1-"));
        assertEquals("verification hand-over", ThreadCpu.groupOf("nostr-verify-12"));
        assertEquals("other", ThreadCpu.groupOf("main"));
    }

    @Test
    void chargesABusyThreadToItsGroup() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        long pid = ProcessHandle.current().pid();
        Map<String, Long> before = ThreadCpu.snapshot(pid);
        CountDownLatch spent = new CountDownLatch(1);
        CountDownLatch snapshotTaken = new CountDownLatch(1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // spins until it has used 300 ms of CPU, however loaded the machine, and stays alive until the snapshot:
        // /proc forgets a thread once it ends
        Thread busy = new Thread(() -> {
            long sink = 0;
            while (threads.getCurrentThreadCpuTime() < 300_000_000L) {
                sink += Long.numberOfTrailingZeros(sink + 1);
            }
            if (sink == 42) {
                System.out.print("");
            }
            spent.countDown();
            try {
                snapshotTaken.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sqlite-writer-test");
        busy.start();
        spent.await();
        Map<String, Long> after = ThreadCpu.snapshot(pid);
        snapshotTaken.countDown();
        busy.join();
        long writer = after.getOrDefault("store writer", 0L) - before.getOrDefault("store writer", 0L);
        assertTrue(writer >= 100_000_000L, "store writer CPU " + writer + " ns");
        String line = ThreadCpu.perUnit(before, after, 1000, "event");
        assertTrue(line.startsWith("relay CPU per event by thread: ") && line.contains("store writer "), line);
    }
}
