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
 *
 * <p>The relaunch costs a second JVM of about 50 MiB resident that only waits. The container image avoids it: its
 * entry point runs {@link #main} first, which prints the same default as a JVM option, and starts the service with
 * it, so that the service is the container's only JVM and its PID 1 (signals from {@code docker stop} reach it
 * directly, {@code jcmd 1} reaches the service).
 */
public final class HeapDefault {
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
     * Prints the heap option the default gives this machine or container ({@code -Xmx<N>m}), or nothing when the
     * JVM options given as arguments already size the heap or {@code NOSTR_GPU_HEAP_DEFAULT=off}; for a launcher
     * that starts the service itself: {@code java -cp nostr-gpu-relay.jar org.nostrgpu.app.HeapDefault $JAVA_OPTS}.
     */
    public static void main(String[] jvmOptions) {
        option(List.of(jvmOptions), System.getenv(DISABLE_VARIABLE), totalMemory()).ifPresent(System.out::println);
    }

    /** The heap option to add to the given JVM options; empty when they size the heap or the default is off. */
    static Optional<String> option(List<String> jvmOptions, String disabled, long memoryBytes) {
        return leftToTheOperator(jvmOptions, disabled) ? Optional.empty()
                : Optional.of(heapOption(heapMiB(memoryBytes)));
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
        long heapMiB = heapMiB(totalMemory());
        List<String> command = childCommand(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions,
                heapMiB, jar.get(), args);
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            // say it once, so that whoever looks for the service's process (jcmd, a profiler, kill) finds the child
            System.getLogger(HeapDefault.class.getSimpleName()).log(System.Logger.Level.INFO,
                    "running '" + args[0] + "' in a child JVM (pid " + child.pid() + ") with " + heapOption(heapMiB)
                    + "; give a heap option (-Xmx...) or set " + DISABLE_VARIABLE + "=off to run it in this JVM");
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
        if (isChild || args.length == 0 || !SERVICES.contains(args[0])) {
            return false;
        }
        for (String arg : args) {
            if (NO_SERVICE.contains(arg)) {
                return false;
            }
        }
        return !leftToTheOperator(jvmOptions, disabled);
    }

    /** The JVM options size the heap, or the default is switched off. */
    private static boolean leftToTheOperator(List<String> jvmOptions, String disabled) {
        return "off".equalsIgnoreCase(disabled) || jvmOptions.stream().anyMatch(HeapDefault::sizesHeap);
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
        command.add(heapOption(heapMiB));
        command.add("-D" + CHILD_PROPERTY + "=" + heapMiB);
        // -jar again, so the manifest's Add-Opens and Enable-Native-Access apply to the child as well
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return command;
    }

    private static String heapOption(long heapMiB) {
        return "-Xmx" + heapMiB + "m";
    }

    private static long totalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
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
