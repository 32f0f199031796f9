package org.nostrgpu.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The heap default of {@code java -jar nostr-gpu-relay.jar relay|worker}: when the JVM was started without any heap
 * option, the service runs in a child JVM started with the same options and the same jar plus
 * {@code -Xmx} = min({@value #CAP_MIB} MiB, a quarter of the memory the JVM sees, which in a container is the
 * container's limit). The JVM's own default, a quarter of the machine's memory, lets G1 keep hundreds of megabytes
 * of heap committed under load (about 340 MiB on a 24 GiB machine, for a live set of 40 to 60 MiB), which took the
 * relay past 400 MiB resident on a 100 000-event database.
 *
 * <p>The parent waits for the child and exits with its status; stopping the parent (SIGTERM, Ctrl-C) stops the child
 * the same way, and the child stops when its parent dies. An explicit heap option ({@code -Xmx}, {@code -XX:MaxRAM...})
 * or {@code NOSTR_GPU_HEAP_DEFAULT=off} runs the service in the JVM that was started, as before.
 */
final class HeapDefault {
    /** Most heap given by default, in MiB. */
    static final long CAP_MIB = 256;
    /** Least heap given by default (in a very small container), in MiB. */
    static final long FLOOR_MIB = 64;
    /** Set on the child JVM (to the heap it was given, in MiB). */
    static final String CHILD_PROPERTY = "nostr.gpu.heapDefaultMiB";
    static final String DISABLE_VARIABLE = "NOSTR_GPU_HEAP_DEFAULT";
    private static final Set<String> SERVICES = Set.of("relay", "worker");
    private static final Set<String> NO_SERVICE = Set.of("-h", "--help", "-V", "--version");

    private HeapDefault() {
    }

    /**
     * Runs the service in a child JVM with the heap default when it applies (see the class comment), returning the
     * child's exit status; empty when this JVM is to run the command itself.
     */
    static OptionalInt runInChildIfNeeded(String[] args) {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        Optional<Path> jar = ownJar();
        if (!applies(args, jvmOptions, System.getenv(DISABLE_VARIABLE), System.getProperty(CHILD_PROPERTY) != null)
                || jar.isEmpty()) {
            return OptionalInt.empty();
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        List<String> command = childCommand(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions,
                heapMiB(memory), jar.get(), args);
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "stop-child-jvm"));
            return OptionalInt.of(child.waitFor());
        } catch (IOException e) {
            System.err.println("could not start the service in a JVM with a bounded heap (" + e.getMessage()
                    + "); running it here with the JVM's default heap");
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(1);
        }
    }

    /** In the child: ends this JVM (with its normal shutdown) when the parent that waits for it is gone. */
    static void followParentIfChild() {
        if (System.getProperty(CHILD_PROPERTY) != null) {
            ProcessHandle.current().parent().ifPresent(parent ->
                    parent.onExit().thenRun(() -> System.exit(1)));
        }
    }

    static boolean applies(String[] args, List<String> jvmOptions, String disabled, boolean isChild) {
        if (isChild || "off".equalsIgnoreCase(disabled) || args.length == 0 || !SERVICES.contains(args[0])) {
            return false;
        }
        for (String arg : args) {
            if (NO_SERVICE.contains(arg)) {
                return false;
            }
        }
        return jvmOptions.stream().noneMatch(HeapDefault::sizesHeap);
    }

    private static boolean sizesHeap(String option) {
        return option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize") || option.startsWith("-XX:MaxRAM")
                || option.startsWith("-XX:InitialRAMPercentage") || option.startsWith("-XX:MinRAMPercentage");
    }

    /** min(CAP, a quarter of the memory), at least FLOOR. */
    static long heapMiB(long memoryBytes) {
        return Math.max(FLOOR_MIB, Math.min(CAP_MIB, memoryBytes / 4 / (1024 * 1024)));
    }

    static List<String> childCommand(Path java, List<String> jvmOptions, long heapMiB, Path jar, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-Xmx" + heapMiB + "m");
        command.add("-D" + CHILD_PROPERTY + "=" + heapMiB);
        // -jar again, so the manifest's Add-Opens and Enable-Native-Access apply to the child as well
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return command;
    }

    private static void stop(Process child) {
        if (child.isAlive()) {
            child.destroy(); // SIGTERM: the child's own shutdown closes the service in order
            try {
                if (!child.waitFor(60, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The jar this class was loaded from; empty when run from classes (tests, an IDE). */
    private static Optional<Path> ownJar() {
        try {
            Path location = Path.of(HeapDefault.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? Optional.of(location) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
