package org.nostrgpu.common.config;

/**
 * Everything an operator can set for a verification worker. Loaded from YAML by
 * {@link ConfigLoader#loadWorker}; every key, its default and its meaning are listed in
 * {@code deploy/worker.example.yaml}.
 *
 * @param backend                 {@code auto} (CUDA when a GPU, the kernel and its self-test agree; the CPU
 *                                otherwise), {@code cpu} or {@code cuda} (CUDA or refuse to start)
 * @param cpuThreads              threads of the CPU backend (default: available processors)
 * @param maxBatchSize            most signatures in one backend call; {@link #AUTO_BATCH_SIZE} picks
 *                                {@link #DEFAULT_CUDA_BATCH_SIZE} on CUDA and {@link #DEFAULT_CPU_BATCH_SIZE} on the CPU
 * @param maxInFlightBatches      backend calls running at once (2 lets a GPU upload one batch while computing another)
 * @param maxQueuedEvents         signatures waiting for the backend; a request that would exceed it is answered
 *                                OVERLOADED at once
 * @param healthHost              listen address of the health and metrics HTTP server
 * @param healthPort              its port; 0 disables it
 * @param cudaDevice              which GPU the CUDA backend uses (0 = the first)
 * @param ptxFile                 kernel PTX to load instead of the one bundled in the jar; empty for the bundled one
 * @param cudaKeyCacheEntries     entries of the kernel's device-memory cache of public keys; a power of two, 0 = none
 * @param cpuBelowCrossover       on CUDA, send batches smaller than the measured crossover size to CPU threads (the
 *                                GPU's fixed cost per launch makes one event slower there than on a CPU core)
 * @param crossoverRecheckSeconds how often the crossover is measured again while running; 0 = only at start
 */
public record WorkerConfig(String backend, int cpuThreads, int maxBatchSize, int maxInFlightBatches,
                           int maxQueuedEvents, String healthHost, int healthPort, int cudaDevice, String ptxFile,
                           int cudaKeyCacheEntries, boolean cpuBelowCrossover, int crossoverRecheckSeconds) {
    public static final int AUTO_BATCH_SIZE = 0;
    public static final int DEFAULT_CUDA_BATCH_SIZE = 65_536;
    public static final int DEFAULT_CPU_BATCH_SIZE = 4_096;
    /**
     * Off until the kernel's key cache has passed the differential test on a GPU (bench/device/run-on-device.sh):
     * it is host-tested only, and a verdict is never trusted to a device path that has not run on a device.
     * 65 536 is the size the device check measures.
     */
    public static final int DEFAULT_KEY_CACHE_ENTRIES = 0;
    public static final int MAX_KEY_CACHE_ENTRIES = 1 << 24;

    public WorkerConfig {
        if (!validKeyCacheEntries(cudaKeyCacheEntries)) {
            throw new ConfigException("cuda key-cache-entries must be 0 (no cache) or a power of two up to "
                    + MAX_KEY_CACHE_ENTRIES + ", got " + cudaKeyCacheEntries);
        }
        if (crossoverRecheckSeconds < 0) {
            throw new ConfigException("cuda crossover-recheck-seconds must be 0 or more, got " + crossoverRecheckSeconds);
        }
    }

    public static WorkerConfig defaults() {
        return new WorkerConfig("auto", Runtime.getRuntime().availableProcessors(), AUTO_BATCH_SIZE, 2,
                262_144, "0.0.0.0", 6970, 0, "", DEFAULT_KEY_CACHE_ENTRIES, true, 600);
    }

    /** 0 (no cache) or a power of two no larger than {@link #MAX_KEY_CACHE_ENTRIES}. */
    public static boolean validKeyCacheEntries(int entries) {
        return entries == 0 || (entries > 0 && entries <= MAX_KEY_CACHE_ENTRIES && Integer.bitCount(entries) == 1);
    }

    /** The batch size to use once the backend is known. */
    public int effectiveMaxBatchSize(boolean cudaBackend) {
        if (maxBatchSize != AUTO_BATCH_SIZE) {
            return maxBatchSize;
        }
        return cudaBackend ? DEFAULT_CUDA_BATCH_SIZE : DEFAULT_CPU_BATCH_SIZE;
    }

    public boolean healthServerEnabled() {
        return healthPort != 0;
    }

    public WorkerConfig withBackend(String newBackend) {
        return new WorkerConfig(newBackend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withCpuThreads(int threads) {
        return new WorkerConfig(backend, threads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withMaxBatchSize(int size) {
        return new WorkerConfig(backend, cpuThreads, size, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withMaxInFlightBatches(int batches) {
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, batches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withMaxQueuedEvents(int events) {
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, events,
                healthHost, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withHealthHost(String host) {
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                host, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withHealthPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new ConfigException("health port must be from 0 to 65535, got " + port);
        }
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, port, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withPtxFile(String file) {
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, file, cudaKeyCacheEntries, cpuBelowCrossover,
                crossoverRecheckSeconds);
    }

    public WorkerConfig withCudaKeyCacheEntries(int entries) {
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, entries, cpuBelowCrossover, crossoverRecheckSeconds);
    }

    public WorkerConfig withCpuBelowCrossover(boolean on) {
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, on, crossoverRecheckSeconds);
    }

    public WorkerConfig withCrossoverRecheckSeconds(int seconds) {
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, cudaKeyCacheEntries, cpuBelowCrossover, seconds);
    }
}
