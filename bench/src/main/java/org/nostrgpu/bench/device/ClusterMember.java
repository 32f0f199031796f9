package org.nostrgpu.bench.device;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.verify.BusLoad;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.cluster.ClusterOptions;
import org.nostrgpu.common.cluster.ClusteredVertx;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the cluster part, driven by {@link ClusterPart} through its standard input and output, one
 * command or answer per line:
 * <ul>
 *   <li>{@code worker PORT MEMBERS THREADS KEY_CACHE PTX|- IN_FLIGHT}: joins the Hazelcast cluster on loopback and runs a
 *       verification worker verticle (the backend a worker would choose here); prints {@code READY pid}, then
 *       answers {@code STATUS} with {@code STATUS json} (its /health document).</li>
 *   <li>{@code sender PORT MEMBERS CORPUS_FILE REQUEST IN_FLIGHT OFFSET}: joins, waits until a worker answers, prints
 *       {@code READY pid}; on {@code RUN seconds} sends verify requests of REQUEST events with IN_FLIGHT outstanding,
 *       as a relay's verification client does, and prints {@code RESULT json}.</li>
 * </ul>
 * Both leave the cluster and exit on {@code EXIT} or at the end of input.
 */
public final class ClusterMember {

    public static void main(String[] args) throws Exception {
        ClusterOptions cluster = new ClusterOptions(true, "127.0.0.1", Integer.parseInt(args[1]),
                Arrays.asList(args[2].split(",")), null);
        Vertx vertx = ClusteredVertx.start(cluster, new VertxOptions()).await(120, TimeUnit.SECONDS);
        try {
            if (args[0].equals("worker")) {
                worker(vertx, args);
            } else {
                sender(vertx, args);
            }
        } finally {
            vertx.close().await(60, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static void worker(Vertx vertx, String[] args) throws Exception {
        WorkerConfig config = WorkerConfig.defaults().withCpuThreads(Integer.parseInt(args[3])).withHealthPort(0)
                .withCudaKeyCacheEntries(Integer.parseInt(args[4])).withCrossoverRecheckSeconds(0)
                .withMaxQueuedEvents(1 << 20).withMaxInFlightBatches(Integer.parseInt(args[6]));
        if (!args[5].equals("-")) {
            config = config.withPtxFile(args[5]);
        }
        VerificationWorkerVerticle worker = new VerificationWorkerVerticle(config, PrometheusMetrics.newRegistry());
        String deployment = vertx.deployVerticle(worker).await(120, TimeUnit.SECONDS);
        answer("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("EXIT"); ) {
            if (line.equals("STATUS")) {
                answer("STATUS " + worker.status().toJson().encode());
            }
        }
        vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
    }

    private static void sender(Vertx vertx, String[] args) throws Exception {
        DeviceCorpus corpus = DeviceCorpus.read(Path.of(args[3]));
        int request = Math.min(Integer.parseInt(args[4]), corpus.size());
        int inFlight = Integer.parseInt(args[5]);
        int offset = Integer.parseInt(args[6]);
        List<BusLoad.Request> requests = BusLoad.requests(corpus.records(), corpus.reference(), request,
                Math.max(inFlight, 8), offset);
        awaitWorker(vertx);
        answer("READY " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("EXIT"); ) {
            if (line.startsWith("RUN ")) {
                BusLoad.Totals totals = BusLoad.runAndWait(vertx, requests, inFlight,
                        Double.parseDouble(line.substring(4)));
                answer("RESULT " + new JsonObject().put("requests", totals.requests()).put("decided", totals.decided())
                        .put("notOk", totals.notOk()).put("undecided", totals.undecided())
                        .put("mismatches", totals.mismatches())
                        .put("seconds", totals.seconds()).encode());
            }
        }
    }

    /** One-event requests until a worker answers OK: the cluster has formed and the worker consumes. */
    private static void awaitWorker(Vertx vertx) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        // an all-zero record: any worker answers it (INVALID) at once
        BusLoad.Request probe = BusLoad.Request.of(SignatureRecords.view(ByteBuffer.allocate(
                SignatureRecords.RECORD_BYTES)), 0, 1, null);
        while (true) {
            try {
                VerifyReply reply = vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, probe.body())
                        .map(message -> VerifyReply.decode(message.body(), 1)).await(5, TimeUnit.SECONDS);
                if (reply.status() == VerifyStatus.OK) {
                    return;
                }
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no verification worker answered in 90 s", notYet);
                }
            }
            Thread.sleep(200);
        }
    }

    private static void answer(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private ClusterMember() {
    }
}
