package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.common.verify.Bip340VectorFile;
import org.nostrgpu.common.verify.SignatureCorpus;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real kernel on a real GPU against libsecp256k1; skipped where there is no usable GPU. */
class CudaSchnorrVerifierDeviceTest {
    private static CudaSchnorrVerifier gpu;
    private static CpuSchnorrVerifier cpu;

    @BeforeAll
    static void openGpu() throws Exception {
        assumeTrue(CudaTestSupport.cudaUsable(), "no CUDA device with the kernel here");
        // small launches so that the test also exercises cutting, several streams and buffer growth
        gpu = CudaSchnorrVerifier.open(CudaOptions.defaults().withMaxRecordsPerLaunch(1000));
        cpu = new CpuSchnorrVerifier(Runtime.getRuntime().availableProcessors());
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    @Test
    void theBip340VectorsGetTheirOfficialResults() throws Exception {
        List<Bip340VectorFile.Vector> vectors;
        try (var in = new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/bip340-final-test-vectors.csv")), StandardCharsets.UTF_8)) {
            vectors = Bip340VectorFile.read(in);
        }
        List<Verdict> verdicts = gpu.verifyChecks(vectors.stream().map(Bip340VectorFile.Vector::check).toList());
        for (int i = 0; i < vectors.size(); i++) {
            assertEquals(vectors.get(i).expectedValid() ? Verdict.VALID : Verdict.INVALID, verdicts.get(i),
                    "vector " + vectors.get(i).index() + " " + vectors.get(i).comment());
        }
    }

    @Test
    void randomValidAndSpoiltSignaturesGetLibsecp256k1sVerdicts() {
        List<SignatureCheck> checks = new SignatureCorpus(2024).mixed(4000);
        assertEquals(cpu.verifyChecks(checks), gpu.verifyChecks(checks));
    }

    @Test
    void concurrentCallersOfMixedSizesGetTheirOwnVerdicts() throws Exception {
        List<SignatureCheck> corpus = new SignatureCorpus(99).mixed(3000);
        List<Verdict> reference = cpu.verifyChecks(corpus);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int size = 1 + c * 499;
                int from = c * 7;
                results.add(callers.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        List<SignatureCheck> batch = corpus.subList(from, from + size);
                        if (!reference.subList(from, from + size).equals(gpu.verifyChecks(batch))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertEquals(true, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(0, gpu.deviceFailures());
    }
}
