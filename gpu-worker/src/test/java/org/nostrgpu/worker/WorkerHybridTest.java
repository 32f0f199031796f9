package org.nostrgpu.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCorpus;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.worker.cuda.CudaDeviceInfo;
import org.nostrgpu.worker.cuda.CudaTestSupport;
import org.nostrgpu.worker.hybrid.Crossover;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.common.verify.Verdict.INVALID;
import static org.nostrgpu.common.verify.Verdict.VALID;
import static org.nostrgpu.worker.WorkerHarness.await;
import static org.nostrgpu.worker.WorkerHarness.awaitUntil;
import static org.nostrgpu.worker.WorkerHarness.checks;
import static org.nostrgpu.worker.WorkerHarness.labels;
import static org.nostrgpu.worker.WorkerHarness.request;

/** A GPU worker with CPU threads beside it: which batches go where, and the crossover measured at start. */
@ExtendWith(VertxExtension.class)
class WorkerHybridTest {
    private static final CudaDeviceInfo FAKE_GPU = new CudaDeviceInfo(0, "fake GPU", 9, 0, 13000, 1L << 30, 1);

    private static WorkerConfig config(int cpuThreads) {
        return WorkerHarness.config(65_536, 1, 262_144).withCpuThreads(cpuThreads);
    }

    private static Crossover fixed(int size) {
        return new Crossover(size, List.of(), null, "fixed by the test");
    }

    @Test
    void oneEventGoesToTheCpuAndRecordsPilingUpPastTheCrossoverGoToTheGpuAsOneBatch(Vertx vertx) throws Exception {
        ScriptedVerifier gpu = new ScriptedVerifier(false, "gpu(test)");
        ScriptedVerifier cpu = new ScriptedVerifier(true, "cpu(test)");
        WorkerHarness harness = new WorkerHarness(vertx);
        VerificationWorkerVerticle worker = harness.deploy(new VerificationWorkerVerticle(config(1), harness.registry,
                () -> new BackendSelection(gpu, "chosen by the test", FAKE_GPU, cpu, "test cache"), s -> fixed(4)));

        // an idle worker: one event, below the crossover, goes to the CPU lane (gated: it stays busy)
        Future<Message<Object>> single = harness.send(request(checks("one", 1, VALID)));
        awaitUntil("the CPU lane has it", () -> cpu.batches().size() == 1);
        // the CPU lane's only slot is busy: three records wait for it, below the crossover
        Future<Message<Object>> small = harness.send(request(checks("small", 3, INVALID)));
        awaitUntil("small waits", () -> worker.status().queueDepth() == 3);
        assertTrue(gpu.batches().isEmpty(), "below the crossover nothing goes to the GPU, even while it is idle");
        // two more make five waiting records: past the crossover, the GPU takes them all as one batch
        Future<Message<Object>> more = harness.send(request(checks("more", 2, VALID)));
        awaitUntil("the GPU has the merged batch", () -> gpu.batches().size() == 1);
        List<String> merged = new java.util.ArrayList<>(labels("small", 3));
        merged.addAll(labels("more", 2));
        assertEquals(List.of(merged), gpu.batches());
        assertEquals(List.of(INVALID, INVALID, INVALID), await(small, 3).verdicts());
        assertEquals(List.of(VALID, VALID), await(more, 2).verdicts());

        cpu.release(1);
        assertEquals(List.of(VALID), await(single, 1).verdicts());
        assertEquals(List.of(List.of("one/0")), cpu.batches());

        JsonObject routing = worker.status().toJson().getJsonObject("routing");
        assertTrue(routing.getBoolean("hybrid"));
        assertEquals(4, routing.getInteger("crossover"));
        assertEquals(new JsonObject().put("1..3", "cpu(test)").put("4..65536", "gpu(test)"),
                routing.getJsonObject("batchSizes"));
        assertEquals(1, routing.getJsonObject("lanes").getJsonObject("gpu").getInteger("batches"));
        assertEquals(5, routing.getJsonObject("lanes").getJsonObject("gpu").getInteger("events"));
        assertEquals(1, routing.getJsonObject("lanes").getJsonObject("cpu").getInteger("batches"));
        assertEquals("test cache", worker.status().keyCache());
        assertTrue(harness.registry.scrape().contains("nostr_worker_lane_batches_total{lane=\"cpu\"} 1.0"));
    }

    @Test
    void onAFakeSlowGpuTheMeasuredCrossoverSendsOneEventToTheCpuAndALargeRequestToTheGpu(Vertx vertx)
            throws Exception {
        // a "GPU" whose every launch costs 20 ms, as a real one costs ~1 ms, beside one CPU thread (~50 us a check)
        var gpu = CudaTestSupport.slowFakeVerifierThatVerifies(20_000_000L);
        var cpu = new CpuSchnorrVerifier(1);
        WorkerConfig config = config(1);
        WorkerHarness harness = new WorkerHarness(vertx);
        VerificationWorkerVerticle worker = harness.deploy(new VerificationWorkerVerticle(config, harness.registry,
                () -> new BackendSelection(gpu, "chosen by the test", FAKE_GPU, cpu, gpu.keyCache())));
        JsonObject routing = worker.status().routing();
        int crossover = routing.getInteger("crossover");
        assertTrue(crossover > 1 && crossover <= 4_096, "measured " + routing.encode());
        assertTrue(routing.getJsonArray("probe").size() >= 2, routing.encode());

        List<SignatureCheck> signed = new SignatureCorpus(3).mixed(4_096);
        assertEquals(cpu.verifyChecks(signed.subList(0, 1)), await(harness.send(request(signed.subList(0, 1))), 1)
                .verdicts());
        JsonObject lanes = worker.status().routing().getJsonObject("lanes");
        assertEquals(1, lanes.getJsonObject("cpu").getInteger("batches"), "one event on the CPU: " + lanes.encode());
        assertEquals(0, lanes.getJsonObject("gpu").getInteger("batches"));

        List<Verdict> verdicts = await(harness.send(request(signed)), signed.size()).verdicts();
        assertEquals(verdicts.size(), signed.size());
        assertEquals(cpu.verifyChecks(signed.subList(0, 200)), verdicts.subList(0, 200));
        lanes = worker.status().routing().getJsonObject("lanes");
        assertEquals(1, lanes.getJsonObject("gpu").getInteger("batches"), "4096 events on the GPU: " + lanes.encode());
        vertx.undeploy(harness.deploymentId).await(20, TimeUnit.SECONDS);
    }
}
