package org.nostrgpu.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nostrgpu.common.bus.VerifyStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nostrgpu.common.verify.Verdict.INVALID;
import static org.nostrgpu.common.verify.Verdict.NOT_VERIFIED;
import static org.nostrgpu.common.verify.Verdict.VALID;
import static org.nostrgpu.worker.WorkerHarness.await;
import static org.nostrgpu.worker.WorkerHarness.awaitUntil;
import static org.nostrgpu.worker.WorkerHarness.checks;
import static org.nostrgpu.worker.WorkerHarness.config;
import static org.nostrgpu.worker.WorkerHarness.labels;
import static org.nostrgpu.worker.WorkerHarness.request;

/**
 * How the worker forms backend batches, observed through a gated fake backend: each batch reaches the backend
 * only as the test allows, so batch composition is deterministic.
 */
@ExtendWith(VertxExtension.class)
class WorkerBatchingTest {

    @Test
    void anIdleWorkerSendsARequestToTheBackendAtOnceAsOneBatch(Vertx vertx) throws Exception {
        ScriptedVerifier backend = new ScriptedVerifier(true);
        WorkerHarness harness = new WorkerHarness(vertx);
        harness.deploy(config(100, 2, 1_000), backend);

        Future<Message<Object>> reply = harness.send(request(checks("a", 3, VALID, INVALID, NOT_VERIFIED)));
        awaitUntil("the backend has the batch", () -> backend.batches().size() == 1);
        assertEquals(List.of(labels("a", 3)), backend.batches(), "one batch, the whole request, nothing awaited");

        backend.release(1);
        var verdicts = await(reply, 3);
        assertEquals(VerifyStatus.OK, verdicts.status());
        assertEquals(List.of(VALID, INVALID, NOT_VERIFIED), verdicts.verdicts());
    }

    @Test
    void requestsFromSeveralRelaysWaitingTogetherShareOneBatchAndEachGetsItsOwnVerdicts(Vertx vertx) throws Exception {
        ScriptedVerifier backend = new ScriptedVerifier(true);
        WorkerHarness harness = new WorkerHarness(vertx);
        VerificationWorkerVerticle worker = harness.deploy(config(100, 2, 1_000), backend);

        // two requests take both backend slots...
        Future<Message<Object>> relayA1 = harness.send(request(checks("A1", 2, VALID)));
        awaitUntil("A1 is running", () -> backend.batches().size() == 1);
        Future<Message<Object>> relayB1 = harness.send(request(checks("B1", 1, INVALID)));
        awaitUntil("B1 is running", () -> backend.batches().size() == 2);
        // ...so these three from three relays accumulate
        Future<Message<Object>> relayA2 = harness.send(request(checks("A2", 3, VALID, INVALID)));
        Future<Message<Object>> relayB2 = harness.send(request(checks("B2", 2, INVALID, VALID)));
        Future<Message<Object>> relayC1 = harness.send(request(checks("C1", 1, NOT_VERIFIED)));
        awaitUntil("six events wait", () -> worker.status().queueDepth() == 6);

        backend.release(1); // one slot frees: everything waiting goes as one batch
        awaitUntil("the merged batch runs", () -> backend.batches().size() == 3);
        List<String> merged = new ArrayList<>(labels("A2", 3));
        merged.addAll(labels("B2", 2));
        merged.addAll(labels("C1", 1));
        assertEquals(merged, backend.batches().get(2));

        backend.release(2);
        assertEquals(List.of(VALID, VALID), await(relayA1, 2).verdicts());
        assertEquals(List.of(INVALID), await(relayB1, 1).verdicts());
        assertEquals(List.of(VALID, INVALID, VALID), await(relayA2, 3).verdicts());
        assertEquals(List.of(INVALID, VALID), await(relayB2, 2).verdicts());
        assertEquals(List.of(NOT_VERIFIED), await(relayC1, 1).verdicts());
        assertEquals(3, worker.status().batches());
    }

    @Test
    void aBatchIsCutWhenFullAndARequestSplitAcrossBatchesGetsItsVerdictsBackInOrder(Vertx vertx) throws Exception {
        ScriptedVerifier backend = new ScriptedVerifier(true);
        WorkerHarness harness = new WorkerHarness(vertx);
        VerificationWorkerVerticle worker = harness.deploy(config(4, 2, 1_000), backend);

        Future<Message<Object>> big = harness.send(request(checks("big", 10, VALID, INVALID, INVALID)));
        awaitUntil("both slots busy", () -> backend.batches().size() == 2);
        // the two batches run on two threads, so which reaches the backend first is not fixed
        assertEquals(Set.of(labels("big", 10).subList(0, 4), labels("big", 10).subList(4, 8)),
                Set.copyOf(backend.batches()), "an idle worker fills both slots with full batches");
        assertEquals(2, worker.status().queueDepth());

        Future<Message<Object>> small = harness.send(request(checks("small", 3, VALID)));
        awaitUntil("small waits", () -> worker.status().queueDepth() == 5);

        backend.release(1);
        awaitUntil("the next full batch runs", () -> backend.batches().size() == 3);
        assertEquals(List.of("big/8", "big/9", "small/0", "small/1"), backend.batches().get(2),
                "waiting events go in arrival order, cut at the batch size");

        backend.release(3);
        assertEquals(List.of(VALID, INVALID, INVALID, VALID, INVALID, INVALID, VALID, INVALID, INVALID, VALID),
                await(big, 10).verdicts());
        assertEquals(List.of(VALID, VALID, VALID), await(small, 3).verdicts());
        assertEquals(List.of(4, 4, 4, 1), backend.batches().stream().map(List::size).toList());
    }
}
