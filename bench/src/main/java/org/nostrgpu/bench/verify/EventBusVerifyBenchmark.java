package org.nostrgpu.bench.verify;

import fr.acinq.secp256k1.Secp256k1;
import io.vertx.core.Vertx;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.worker.VerificationWorkerVerticle;
import org.nostrgpu.worker.WorkerStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Verification through the event bus in one JVM: a client sends verify requests to a
 * {@link VerificationWorkerVerticle} (CPU backend unless told otherwise) and counts the verdicts that come back
 * ({@link BusLoad}).
 *
 * <ol>
 *   <li>Throughput: for each request size, enough requests in flight to keep the worker busy; verifies/s counts
 *       decided verdicts received (every one checked: the corpus is all valid).</li>
 *   <li>Latency at low load: one 1-event request at a time, request sent to reply received, p50/p99; next to it
 *       the same single check on the verifier directly, so the difference is what the bus and the batcher add.</li>
 * </ol>
 * Usage: {@code EventBusVerifyBenchmark [seconds-per-size] [cpu-threads] [sizes, e.g. 1,64,1024,16384]
 * [backend: cpu|auto|cuda]}. The device check's eventbus part measures the same on a GPU machine.
 */
public final class EventBusVerifyBenchmark {
    private static final int CORPUS = 4_096;
    /** Signatures a size's clients keep in flight: several of the worker's CPU batches. */
    private static final int EVENTS_IN_FLIGHT = 16_384;
    private static final int MAX_CONCURRENT_REQUESTS = 1_024;
    private static final int LATENCY_WARMUP = 500;
    private static final int LATENCY_SAMPLES = 3_000;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int[] sizes = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[]{1, 64, 1_024, 16_384};
        String backend = args.length > 3 ? args[3] : "cpu";

        List<SignatureCheck> corpus = signedCorpus(CORPUS);
        SignatureRecords records = SignatureRecords.of(corpus);
        byte[] allValid = new byte[CORPUS];
        Arrays.fill(allValid, org.nostrgpu.common.verify.Verdict.VALID_CODE);
        Vertx vertx = Vertx.vertx();
        try {
            WorkerConfig config = WorkerConfig.defaults().withBackend(backend).withCpuThreads(threads).withHealthPort(0);
            VerificationWorkerVerticle worker = new VerificationWorkerVerticle(config, PrometheusMetrics.newRegistry());
            vertx.deployVerticle(worker).await(60, TimeUnit.SECONDS);
            WorkerStatus status = worker.status();
            System.out.printf("machine: %d cores; backend %s; worker batches up to %d, %d in flight; routing %s%n",
                    Runtime.getRuntime().availableProcessors(), status.backend(), status.maxBatchSize(),
                    status.maxInFlightBatches(), status.routing().getJsonObject("batchSizes").encode());
            System.out.printf("direct CPU verifier (libsecp256k1, %d threads), no event bus, batches of %d: %,.0f verifies/s%n%n",
                    threads, status.maxBatchSize(), directThroughput(corpus, threads, status.maxBatchSize(), seconds));

            System.out.println("| request size | requests in flight | requests/s | verifies/s | mean backend batch | non-OK replies | mismatches |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int size : sizes) {
                int concurrency = Math.max(2, Math.min(EVENTS_IN_FLIGHT / size, MAX_CONCURRENT_REQUESTS));
                List<BusLoad.Request> requests = BusLoad.requests(records, allValid, size, Math.max(8, concurrency));
                BusLoad.runAndWait(vertx, requests, concurrency, Math.min(2, seconds)); // warm-up, not reported
                WorkerStatus before = worker.status();
                BusLoad.Totals totals = BusLoad.runAndWait(vertx, requests, concurrency, seconds);
                WorkerStatus after = worker.status();
                long batches = after.batches() - before.batches();
                double meanBatch = batches == 0 ? 0 : (double) (after.eventsBatched() - before.eventsBatched()) / batches;
                System.out.printf("| %,d | %,d | %,.1f | %,.0f | %,.0f | %,d | %,d |%n", size, concurrency,
                        totals.requests() / totals.seconds(), totals.verifiesPerSecond(), meanBatch, totals.notOk(),
                        totals.mismatches());
            }

            System.out.println();
            long[] bus = BusLoad.roundTrips(vertx, BusLoad.requests(records, allValid, 1, CORPUS), LATENCY_WARMUP,
                    LATENCY_SAMPLES);
            long[] direct = directLatencies(corpus, threads);
            System.out.println("| one event at a time | p50 µs | p99 µs |");
            System.out.println("|---|---:|---:|");
            System.out.printf("| request → worker → reply (event bus) | %.1f | %.1f |%n",
                    BusLoad.percentileMicros(bus, 50), BusLoad.percentileMicros(bus, 99));
            System.out.printf("| CPU verifier.verify() of one check, direct | %.1f | %.1f |%n",
                    BusLoad.percentileMicros(direct, 50), BusLoad.percentileMicros(direct, 99));
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static long[] directLatencies(List<SignatureCheck> corpus, int threads) {
        long[] samples = new long[LATENCY_SAMPLES];
        SignatureRecords records = SignatureRecords.of(corpus);
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            for (int i = -LATENCY_WARMUP; i < LATENCY_SAMPLES; i++) {
                SignatureRecords one = records.slice(Math.floorMod(i, corpus.size()), 1);
                long start = System.nanoTime();
                verifier.verify(one);
                if (i >= 0) {
                    samples[i] = System.nanoTime() - start;
                }
            }
        }
        return samples;
    }

    private static double directThroughput(List<SignatureCheck> corpus, int threads, int batchSize, double seconds) {
        List<SignatureCheck> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(corpus.get(i % corpus.size()));
        }
        SignatureRecords records = SignatureRecords.of(batch);
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            verifier.verify(records); // warm-up
            long verified = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                verified += verifier.verify(records).length;
            }
            return verified / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static List<SignatureCheck> signedCorpus(int count) {
        Secp256k1 secp = Secp256k1.get();
        Random random = new Random(42);
        List<SignatureCheck> checks = new ArrayList<>(count);
        byte[][] keys = new byte[64][];
        byte[][] pubkeys = new byte[64][];
        for (int k = 0; k < keys.length; k++) {
            do {
                keys[k] = bytes(random, 32);
            } while (!secp.secKeyVerify(keys[k]));
            pubkeys[k] = Arrays.copyOfRange(secp.pubKeyCompress(secp.pubkeyCreate(keys[k])), 1, 33);
        }
        for (int i = 0; i < count; i++) {
            byte[] message = bytes(random, 32);
            int k = i % keys.length;
            checks.add(new SignatureCheck(message, pubkeys[k], secp.signSchnorr(message, keys[k], bytes(random, 32))));
        }
        return checks;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private EventBusVerifyBenchmark() {
    }
}
