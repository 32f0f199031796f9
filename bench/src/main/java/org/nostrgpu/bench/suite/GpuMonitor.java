package org.nostrgpu.bench.suite;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples the GPU once a second while the suite runs, with {@code nvidia-smi --query-gpu=... -lms 1000}: utilisation,
 * memory used and power, each sample stamped with seconds since the suite started. Without nvidia-smi on the PATH
 * (or when it fails) there are no samples and {@link #toJson} says why.
 */
final class GpuMonitor implements AutoCloseable {
    static final String QUERY = "name,utilization.gpu,memory.used,memory.total,power.draw";

    private final long suiteStart;
    private final JsonArray samples = new JsonArray();
    private Process process;
    private Thread reader;
    private String name;
    private String absent;

    private GpuMonitor(long suiteStart) {
        this.suiteStart = suiteStart;
    }

    /** Starts sampling now when nvidia-smi is on the PATH. */
    static GpuMonitor start(long suiteStartNanos, int intervalMillis) {
        String command = onPath("nvidia-smi");
        if (command == null) {
            GpuMonitor monitor = new GpuMonitor(suiteStartNanos);
            monitor.absent = "no GPU: nvidia-smi is not on the PATH";
            return monitor;
        }
        return start(suiteStartNanos, intervalMillis, command);
    }

    /** Starts sampling with this nvidia-smi (a path). */
    static GpuMonitor start(long suiteStartNanos, int intervalMillis, String nvidiaSmi) {
        GpuMonitor monitor = new GpuMonitor(suiteStartNanos);
        try {
            monitor.process = new ProcessBuilder(List.of(nvidiaSmi, "--query-gpu=" + QUERY,
                    "--format=csv,noheader,nounits", "-lms", Integer.toString(intervalMillis)))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            monitor.absent = "no GPU: nvidia-smi cannot be started: " + e.getMessage();
            return monitor;
        }
        monitor.reader = new Thread(monitor::read, "gpu-monitor");
        monitor.reader.setDaemon(true);
        monitor.reader.start();
        return monitor;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] fields = line.split(",\\s*");
                double seconds = (System.nanoTime() - suiteStart) / 1e9;
                try {
                    JsonObject sample = new JsonObject().put("t", Math.round(seconds * 10) / 10.0)
                            .put("utilizationPercent", number(fields[1]))
                            .put("memoryUsedMiB", number(fields[2]))
                            .put("memoryTotalMiB", number(fields[3]))
                            .put("powerWatts", number(fields[4]));
                    synchronized (samples) {
                        name = fields[0].strip();
                        samples.add(sample);
                    }
                } catch (RuntimeException e) {
                    synchronized (samples) {
                        if (samples.isEmpty()) {
                            absent = "no GPU: nvidia-smi said: " + line;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process was stopped
        }
    }

    /** The GPU's name (first GPU), or null when nothing was sampled. */
    String gpuName() {
        synchronized (samples) {
            return name;
        }
    }

    JsonObject toJson() {
        synchronized (samples) {
            JsonObject json = new JsonObject().put("available", !samples.isEmpty()).put("samples", samples.copy());
            if (name != null) {
                json.put("name", name);
            }
            if (samples.isEmpty()) {
                json.put("reason", absent != null ? absent : "no GPU: nvidia-smi gave no samples");
            }
            return json;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            reader.join(5000);
        }
    }

    private static Double number(String field) {
        String value = field.strip();
        return value.isEmpty() || value.startsWith("[") ? null : Double.parseDouble(value);
    }

    /** The command's file on the PATH, or null. */
    private static String onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File file = new File(dir, command);
            if (file.canExecute()) {
                return file.getPath();
            }
        }
        return null;
    }
}
