package org.nostrgpu.bench.suite;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.verify.VerifierThroughput;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaUnavailableException;

import java.util.List;

/**
 * Signature verification throughput against batch size, per backend, in one run: libsecp256k1 on one thread (up to
 * {@code oneThreadMaxBatch}: its rate per signature no longer changes there, and a million on one core takes a
 * minute), on every core, and the CUDA backend when a GPU is usable. Every verdict is checked (VerifierThroughput).
 */
final class SignatureScenario {
    private SignatureScenario() {
    }

    static JsonObject run(SuiteOptions options) {
        int largest = options.signatureBatches().stream().mapToInt(Integer::intValue).max().orElse(1);
        long start = System.nanoTime();
        List<SignatureCheck> corpus = VerifierThroughput.signedCorpus(Math.max(largest, 4096));
        JsonObject json = new JsonObject().put("corpus", corpus.size())
                .put("corpusSignedSeconds", (System.nanoTime() - start) / 1e9);
        JsonArray series = new JsonArray();
        int cores = Runtime.getRuntime().availableProcessors();
        try (CpuSchnorrVerifier one = new CpuSchnorrVerifier(1)) {
            series.add(measure("CPU 1 thread", one, corpus, options, options.oneThreadMaxBatch()));
        }
        try (CpuSchnorrVerifier all = new CpuSchnorrVerifier(cores)) {
            series.add(measure("CPU " + cores + " threads", all, corpus, options, Integer.MAX_VALUE));
        }
        if (!options.cuda()) {
            json.put("cuda", "not measured (--cuda off)");
        } else {
            try (CudaSchnorrVerifier cuda = CudaSchnorrVerifier.open(CudaOptions.defaults())) {
                series.add(measure("CUDA", cuda, corpus, options, Integer.MAX_VALUE));
                json.put("cuda", cuda.describe());
            } catch (CudaUnavailableException | LinkageError e) {
                json.put("cuda", "unavailable: " + e.getMessage());
                System.out.println("signatures: CUDA unavailable: " + e.getMessage());
            }
        }
        return json.put("series", series);
    }

    private static JsonObject measure(String name, SignatureVerifier verifier, List<SignatureCheck> corpus,
                                      SuiteOptions options, int maxBatch) {
        JsonArray points = new JsonArray();
        for (int batch : options.signatureBatches()) {
            if (batch > maxBatch) {
                continue;
            }
            VerifierThroughput.Result result = VerifierThroughput.measure(verifier, corpus, batch,
                    options.signatureSeconds(), options.signatureRepetitions());
            System.out.printf("signatures: %s batch %d: %.0f verifies/s, %.0f per CPU-second%n", name, batch,
                    result.median(), result.medianPerCpuSecond());
            points.add(new JsonObject().put("batch", batch).put("perSecond", Math.round(result.median()))
                    .put("perCpuSecond", Math.round(result.medianPerCpuSecond())));
        }
        return new JsonObject().put("name", name).put("describe", verifier.describe()).put("points", points);
    }
}
