package org.nostrgpu.bench.device;

import org.nostrgpu.worker.cuda.CudaDeviceInfo;
import org.nostrgpu.worker.cuda.CudaUnavailableException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The machine a part runs on, named in the caption of every table: the GPU (or why there is none), the CPU model
 * and cores, the Java runtime.
 *
 * @param device the GPU as the driver reports it, or null without one
 * @param noGpu  why there is no GPU ("no CUDA driver: ...", "no device"), or null with one
 */
public record Machine(CudaDeviceInfo device, String noGpu, String cpu, int cores, String java) {

    public static Machine describe() {
        CudaDeviceInfo device = null;
        String noGpu = null;
        try {
            device = CudaDeviceInfo.of(0);
        } catch (CudaUnavailableException e) {
            noGpu = e.getMessage();
        }
        return new Machine(device, noGpu, cpuModel().orElse("unknown CPU"), Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString());
    }

    public boolean hasGpu() {
        return device != null;
    }

    /** e.g. "NVIDIA H200 (sm_90, driver 13.0, 132 SMs)" or "no GPU (no CUDA driver: ...)" */
    public String gpu() {
        return device == null ? "no GPU (" + noGpu + ")"
                : device.name() + " (" + device.architecture() + ", driver " + device.driverVersionText() + ", "
                + device.multiprocessors() + " SMs)";
    }

    /** The line under every table's title. */
    public String caption() {
        return "GPU: " + gpu() + " · CPU: " + cores + " × " + cpu + " · Java " + java;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gpu", gpu());
        json.put("gpuName", device == null ? null : device.name());
        json.put("noGpu", noGpu);
        json.put("cpu", cpu);
        json.put("cores", cores);
        json.put("java", java);
        return json;
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
