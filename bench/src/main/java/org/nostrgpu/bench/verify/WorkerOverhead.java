package org.nostrgpu.bench.verify;

import com.sun.management.OperatingSystemMXBean;
import fr.acinq.secp256k1.Secp256k1;
import io.vertx.core.Context;
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
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the worker costs besides the signature checks themselves, through the local event bus on the CPU backend:
 * the process's CPU time per verify (from the OS, every thread: client, event bus, worker, verifier pool) minus what
 * libsecp256k1 alone takes per verify on one thread; the process's CPU time outside the CPU verifier's pool threads
 * per verify (the same figure measured another way, immune to the verifier running slower on a busy machine); and the
 * bytes the JVM allocated per request (every thread's allocation counter). The client side is in the same process and
 * included; its requests are encoded in advance.
 *
 * <pre>java -cp ... org.nostrgpu.bench.verify.WorkerOverhead [SECONDS=5] [THREADS=cores] [SIZES=1,64,1024,16384] [IN_FLIGHT_EVENTS=16384]</pre>
 *
 * Uses only APIs the worker had before and after its move to record views, so the same tool measures both.
 */
public final class WorkerOverhead {
    private static final int CORPUS = 4_096;
    private static final int MAX_CONCURRENT_REQUESTS = 1_024;

    private record Corpus(byte[][] messages, byte[][] pubkeys, byte[][] signatures) {
    }

    private record Totals(long requests, long verified, long notOk, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int[] sizes = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[]{1, 64, 1_024, 16_384};
        int inFlightEvents = args.length > 3 ? Integer.parseInt(args[3]) : 16_384;

        Corpus corpus = corpus(CORPUS);
        double pureMicros = libsecp256k1MicrosPerVerify(corpus, seconds);
        System.out.printf(Locale.ROOT, "java %s, %d cores; libsecp256k1 alone: %.2f us of CPU per verify (one thread)%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), pureMicros);

        Vertx vertx = Vertx.vertx();
        try {
            WorkerConfig config = WorkerConfig.defaults().withBackend("cpu").withCpuThreads(threads).withHealthPort(0);
            VerificationWorkerVerticle worker = new VerificationWorkerVerticle(config, PrometheusMetrics.newRegistry());
            vertx.deployVerticle(worker).await(60, TimeUnit.SECONDS);
            System.out.printf("worker: %s, %d threads%n%n", worker.status().backend(), threads);
            System.out.println("| request size | requests in flight | verifies/s | process CPU us/verify | libsecp256k1"
                    + " us/verify | overhead us/verify | CPU outside the verifier pool us/verify |"
                    + " allocated bytes/request | allocated bytes/verify | GCs |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int size : sizes) {
                int concurrency = Math.max(1, Math.min(inFlightEvents / size, MAX_CONCURRENT_REQUESTS));
                List<Buffer> requests = requests(corpus, size);
                run(vertx, requests, size, concurrency, Math.min(3, seconds)); // warm-up, not reported
                long cpuBefore = processCpuNanos();
                long poolBefore = verifierPoolCpuNanos();
                long allocatedBefore = allocatedBytes();
                long gcBefore = gcCount();
                Totals totals = run(vertx, requests, size, concurrency, seconds);
                long processSpent = processCpuNanos() - cpuBefore;
                double cpuPerVerify = processSpent / 1_000.0 / totals.verified;
                double outsidePool = (processSpent - (verifierPoolCpuNanos() - poolBefore)) / 1_000.0 / totals.verified;
                long allocated = allocatedBytes() - allocatedBefore;
                System.out.printf(Locale.ROOT, "| %,d | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %,.0f | %,.1f | %d |%n",
                        size, concurrency, totals.verified / totals.seconds, cpuPerVerify, pureMicros,
                        cpuPerVerify - pureMicros, outsidePool, (double) allocated / totals.requests,
                        (double) allocated / totals.verified, gcCount() - gcBefore);
                if (totals.notOk > 0) {
                    System.out.println("  (" + totals.notOk + " replies were not OK)");
                }
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** {@code concurrency} client loops on one event loop, each sending its next request when its reply arrives. */
    private static Totals run(Vertx vertx, List<Buffer> requests, int size, int concurrency, double seconds)
            throws Exception {
        Context client = vertx.getOrCreateContext();
        Promise<Totals> done = Promise.promise();
        client.runOnContext(v -> {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long[] counts = new long[3];
            int[] running = {concurrency};
            DeliveryOptions options = new DeliveryOptions().setSendTimeout(60_000);
            for (int loop = 0; loop < concurrency; loop++) {
                send(vertx, requests, loop, size, options, end, counts, () -> {
                    if (--running[0] == 0) {
                        done.complete(new Totals(counts[0], counts[1], counts[2], (System.nanoTime() - start) / 1e9));
                    }
                });
            }
        });
        return done.future().await(120, TimeUnit.SECONDS);
    }

    private static void send(Vertx vertx, List<Buffer> requests, int index, int size, DeliveryOptions options,
                             long end, long[] counts, Runnable finished) {
        vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, requests.get(index % requests.size()), options)
                .onComplete(outcome -> {
                    counts[0]++;
                    VerifyReply reply = outcome.succeeded() ? VerifyReply.decode(outcome.result().body(), size) : null;
                    if (reply == null || reply.status() != VerifyStatus.OK) {
                        counts[2]++;
                    } else {
                        counts[1] += size;
                    }
                    if (System.nanoTime() < end) {
                        send(vertx, requests, index + 1, size, options, end, counts, finished);
                    } else {
                        finished.run();
                    }
                });
    }

    private static double libsecp256k1MicrosPerVerify(Corpus corpus, double seconds) {
        Secp256k1 secp = Secp256k1.get();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2_000; i++) { // warm-up
            secp.verifySchnorr(corpus.signatures[i % CORPUS], corpus.messages[i % CORPUS], corpus.pubkeys[i % CORPUS]);
        }
        long cpuStart = threads.getCurrentThreadCpuTime();
        long end = System.nanoTime() + (long) (Math.min(seconds, 3) * 1e9);
        long verified = 0;
        while (System.nanoTime() < end) {
            int i = (int) (verified % CORPUS);
            if (!secp.verifySchnorr(corpus.signatures[i], corpus.messages[i], corpus.pubkeys[i])) {
                throw new IllegalStateException("corpus signature " + i + " does not verify");
            }
            verified++;
        }
        return (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000.0 / verified;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime();
    }

    /** CPU time so far of the CPU verifier's pool threads ("cpu-verifier-..."), where batches of 16+ are verified. */
    private static long verifierPoolCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("cpu-verifier-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** Bytes allocated so far by every live thread (the pools live through the whole run). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, allocated);
        }
        return total;
    }

    private static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    private static List<Buffer> requests(Corpus corpus, int size) {
        int distinct = Math.max(1, Math.min(8, CORPUS / size));
        List<Buffer> requests = new ArrayList<>(distinct);
        int next = 0;
        for (int r = 0; r < distinct; r++) {
            VerifyRequestEncoder encoder = new VerifyRequestEncoder(size);
            for (int i = 0; i < size; i++, next++) {
                int k = next % CORPUS;
                encoder.add(corpus.messages[k], corpus.pubkeys[k], corpus.signatures[k]);
            }
            requests.add(encoder.finish());
        }
        return requests;
    }

    /** Valid signatures by 64 keys, the same every run. */
    private static Corpus corpus(int count) {
        Secp256k1 secp = Secp256k1.get();
        SplittableRandom random = new SplittableRandom(42);
        byte[][] secrets = new byte[64][];
        byte[][] keys = new byte[64][];
        for (int k = 0; k < secrets.length; k++) {
            do {
                secrets[k] = bytes(random, 32);
            } while (!secp.secKeyVerify(secrets[k]));
            keys[k] = Arrays.copyOfRange(secp.pubKeyCompress(secp.pubkeyCreate(secrets[k])), 1, 33);
        }
        byte[][] messages = new byte[count][];
        byte[][] pubkeys = new byte[count][];
        byte[][] signatures = new byte[count][];
        for (int i = 0; i < count; i++) {
            messages[i] = bytes(random, 32);
            pubkeys[i] = keys[i % keys.length];
            signatures[i] = secp.signSchnorr(messages[i], secrets[i % secrets.length], bytes(random, 32));
        }
        return new Corpus(messages, pubkeys, signatures);
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private WorkerOverhead() {
    }
}
