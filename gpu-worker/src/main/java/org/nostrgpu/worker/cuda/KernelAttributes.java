package org.nostrgpu.worker.cuda;

/**
 * What the driver compiled the verify kernel into, for performance reports: registers and local memory
 * (spills) per thread, and how many blocks of the configured size fit on one multiprocessor.
 */
public record KernelAttributes(int registersPerThread, int localBytesPerThread, int staticSharedBytesPerBlock,
                               int maxThreadsPerBlock, int ptxVersion, int binaryVersion, int threadsPerBlock,
                               int activeBlocksPerMultiprocessor) {
}
