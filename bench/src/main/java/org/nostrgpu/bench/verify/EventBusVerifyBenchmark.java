package org.nostrgpu.bench.verify;

import fr.acinq.secp256k1.Secp256k1;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequestEncoder;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.worker.VerificationWorkerVerticle;
import org.nostrgpu.worker.WorkerStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Verification through the event bus in one JVM: a client sends {@link VerifyProtocol} requests to a
 * {@link VerificationWorkerVerticle} (CPU backend unless told otherwise) and counts the verdicts that come back.
 *
 * <ol>
 *   <li>Throughput: for each request size, enough requests in flight to keep the worker busy; verifies/s counts
 *       VALID verdicts received (every signature in the corpus is valid).</li>
 *   <li>Latency at low load: one 1-event request at a time, request sent to reply received, p50/p99; next to it
 *       the same single check on the verifier directly, so the difference is what the bus and the batcher add.</li>
 * </ol>
 * Usage: {@code EventBusVerifyBenchmark [seconds-per-size] [cpu-threads] [sizes, e.g. 1,64,1024,16384]
 * [backend: cpu|auto|cuda]}.
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
        Vertx vertx = Vertx.vertx();
        try {
            WorkerConfig config = WorkerConfig.defaults().withBackend(backend).withCpuThreads(threads).withHealthPort(0);
            VerificationWorkerVerticle worker = new VerificationWorkerVerticle(config, PrometheusMetrics.newRegistry());
            vertx.deployVerticle(worker).await(60, TimeUnit.SECONDS);
            WorkerStatus status = worker.status();
            System.out.printf("machine: %d cores; backend %s; worker batches up to %d, %d in flight%n",
                    Runtime.getRuntime().availableProcessors(), status.backend(), status.maxBatchSize(),
                    status.maxInFlightBatches());
            System.out.printf("direct CPU verifier (libsecp256k1, %d threads), no event bus, batches of %d: %,.0f verifies/s%n%n",
                    threads, status.maxBatchSize(), directThroughput(corpus, threads, status.maxBatchSize(), seconds));

            System.out.println("| request size | requests in flight | requests/s | verifies/s | mean backend batch | non-OK replies |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            for (int size : sizes) {
                int concurrency = Math.max(2, Math.min(EVENTS_IN_FLIGHT / size, MAX_CONCURRENT_REQUESTS));
                List<Buffer> requests = requests(corpus, size);
                run(vertx, requests, size, concurrency, Math.min(2, seconds)); // warm-up, not reported
                WorkerStatus before = worker.status();
                Totals totals = run(vertx, requests, size, concurrency, seconds);
                WorkerStatus after = worker.status();
                long batches = after.batches() - before.batches();
                double meanBatch = batches == 0 ? 0 : (double) (after.eventsBatched() - before.eventsBatched()) / batches;
                System.out.printf("| %,d | %,d | %,.1f | %,.0f | %,.0f | %,d |%n", size, concurrency,
                        totals.replies / totals.seconds, totals.valid / totals.seconds, meanBatch, totals.notOk);
            }

            System.out.println();
            long[] bus = busLatencies(vertx, requests(corpus, 1));
            long[] direct = directLatencies(corpus, threads);
            System.out.println("| one event at a time | p50 µs | p99 µs |");
            System.out.println("|---|---:|---:|");
            System.out.printf("| request → worker → reply (event bus) | %.1f | %.1f |%n", percentile(bus, 50), percentile(bus, 99));
            System.out.printf("| CPU verifier.verifyChecks() of one check, direct | %.1f | %.1f |%n", percentile(direct, 50), percentile(direct, 99));
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private record Totals(long replies, long valid, long notOk, double seconds) {
    }

    /** {@code concurrency} client loops on one event loop, each sending its next request when its reply arrives. */
    private static Totals run(Vertx vertx, List<Buffer> requests, int size, int concurrency, double seconds)
            throws Exception {
        Context client = vertx.getOrCreateContext();
        Promise<Totals> done = Promise.promise();
        client.runOnContext(v -> {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long[] counts = new long[3]; // replies, valid verdicts, non-OK replies
            int[] running = {concurrency};
            DeliveryOptions options = new DeliveryOptions().setSendTimeout(60_000);
            for (int loop = 0; loop < concurrency; loop++) {
                sendLoop(vertx, requests, loop, size, options, end, counts, () -> {
                    if (--running[0] == 0) {
                        done.complete(new Totals(counts[0], counts[1], counts[2], (System.nanoTime() - start) / 1e9));
                    }
                });
            }
        });
        return done.future().await(120, TimeUnit.SECONDS);
    }

    private static void sendLoop(Vertx vertx, List<Buffer> requests, int index, int size, DeliveryOptions options,
                                 long end, long[] counts, Runnable finished) {
        vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, requests.get(index % requests.size()), options)
                .onComplete(outcome -> {
                    counts[0]++;
                    VerifyReply reply = outcome.succeeded() ? VerifyReply.decode(outcome.result().body(), size) : null;
                    if (reply == null || reply.status() != VerifyStatus.OK) {
                        counts[2]++; // a timeout or failure reply: counted, never as verified
                    } else {
                        for (int i = 0; i < reply.count(); i++) {
                            if (reply.verdict(i) == Verdict.VALID) {
                                counts[1]++;
                            }
                        }
                    }
                    if (System.nanoTime() < end) {
                        sendLoop(vertx, requests, index + 1, size, options, end, counts, finished);
                    } else {
                        finished.run();
                    }
                });
    }

    private static long[] busLatencies(Vertx vertx, List<Buffer> oneEventRequests) throws Exception {
        long[] samples = new long[LATENCY_SAMPLES];
        for (int i = -LATENCY_WARMUP; i < LATENCY_SAMPLES; i++) {
            Buffer request = oneEventRequests.get(Math.floorMod(i, oneEventRequests.size()));
            long start = System.nanoTime();
            Future<?> reply = vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, request)
                    .map(message -> VerifyReply.decode(message.body(), 1));
            // the clock stops on the event loop when the reply arrives, not when this thread wakes up
            long[] arrived = new long[1];
            reply.onSuccess(r -> arrived[0] = System.nanoTime()).await(10, TimeUnit.SECONDS);
            if (i >= 0) {
                samples[i] = arrived[0] - start;
            }
        }
        return samples;
    }

    private static long[] directLatencies(List<SignatureCheck> corpus, int threads) {
        long[] samples = new long[LATENCY_SAMPLES];
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            for (int i = -LATENCY_WARMUP; i < LATENCY_SAMPLES; i++) {
                List<SignatureCheck> one = List.of(corpus.get(Math.floorMod(i, corpus.size())));
                long start = System.nanoTime();
                verifier.verifyChecks(one);
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
        try (CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(threads)) {
            verifier.verifyChecks(batch); // warm-up
            long verified = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                verified += verifier.verifyChecks(batch).size();
            }
            return verified / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** A few different requests of {@code size} events drawn from the corpus in turn. */
    private static List<Buffer> requests(List<SignatureCheck> corpus, int size) {
        int distinct = Math.max(1, Math.min(8, CORPUS / size));
        List<Buffer> requests = new ArrayList<>(distinct);
        int next = 0;
        for (int r = 0; r < distinct; r++) {
            VerifyRequestEncoder encoder = new VerifyRequestEncoder(size);
            for (int i = 0; i < size; i++) {
                encoder.add(corpus.get(next++ % corpus.size()));
            }
            requests.add(encoder.finish());
        }
        return requests;
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

    private static double percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000.0;
    }

    private EventBusVerifyBenchmark() {
    }
}
