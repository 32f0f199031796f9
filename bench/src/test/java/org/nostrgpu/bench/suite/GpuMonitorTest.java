package org.nostrgpu.bench.suite;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU monitor against a stand-in nvidia-smi that prints what the real one prints in its CSV query mode (there is
 * no GPU here), and the report's GPU charts drawn from those samples.
 */
class GpuMonitorTest {
    @TempDir
    Path dir;

    @Test
    void samplesTheQueryOutputAndTheReportChartsIt() throws Exception {
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, """
                #!/bin/sh
                case "$*" in *"--query-gpu=name,utilization.gpu,memory.used,memory.total,power.draw"*"-lms 50"*) ;;
                  *) echo "unexpected arguments: $*"; exit 1 ;; esac
                echo "NVIDIA H100 80GB HBM3, 0, 1, 81559, 68.91"
                sleep 0.05
                echo "NVIDIA H100 80GB HBM3, 87, 20480, 81559, 412.50"
                sleep 0.05
                echo "NVIDIA H100 80GB HBM3, 100, 40960, 81559, [N/A]"
                """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        GpuMonitor monitor = GpuMonitor.start(System.nanoTime(), 50, fake.toString());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (monitor.toJson().getJsonArray("samples").size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        monitor.close();
        JsonObject gpu = monitor.toJson();
        assertTrue(gpu.getBoolean("available"), gpu.encode());
        assertEquals("NVIDIA H100 80GB HBM3", gpu.getString("name"));
        JsonArray samples = gpu.getJsonArray("samples");
        assertEquals(3, samples.size(), samples.encode());
        assertEquals(87.0, samples.getJsonObject(1).getDouble("utilizationPercent"));
        assertEquals(20480.0, samples.getJsonObject(1).getDouble("memoryUsedMiB"));
        assertEquals(412.5, samples.getJsonObject(1).getDouble("powerWatts"));
        assertNull(samples.getJsonObject(2).getDouble("powerWatts"), "[N/A] is no number");

        JsonObject result = new JsonObject().put("gpu", gpu).put("timeline", new JsonArray().add(new JsonObject()
                .put("scenario", "signatures").put("start", 0.0).put("end", 0.1)));
        String html = HtmlReport.render(result);
        assertTrue(html.contains("<svg data-chart=\"gpu-utilisation\""), html);
        for (String series : List.of("utilisation %", "memory used %", "power W")) {
            assertTrue(html.contains("<g data-series=\"" + series + "\">"), series);
        }
        assertFalse(html.contains("No GPU was sampled"));
    }

    @Test
    void withoutNvidiaSmiTheResultSaysWhy() throws Exception {
        GpuMonitor monitor = GpuMonitor.start(System.nanoTime(), 50, dir.resolve("missing").toString());
        monitor.close();
        JsonObject gpu = monitor.toJson();
        assertFalse(gpu.getBoolean("available"));
        assertTrue(gpu.getString("reason").startsWith("no GPU"), gpu.encode());
        assertTrue(HtmlReport.render(new JsonObject().put("gpu", gpu)).contains("No GPU was sampled: no GPU"));
    }
}
