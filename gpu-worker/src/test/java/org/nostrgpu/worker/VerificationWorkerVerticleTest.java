package org.nostrgpu.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequestEncoder;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.common.verify.Verdict.INVALID;
import static org.nostrgpu.common.verify.Verdict.NOT_VERIFIED;
import static org.nostrgpu.common.verify.Verdict.VALID;
import static org.nostrgpu.worker.WorkerHarness.await;
import static org.nostrgpu.worker.WorkerHarness.awaitUntil;
import static org.nostrgpu.worker.WorkerHarness.checks;
import static org.nostrgpu.worker.WorkerHarness.config;
import static org.nostrgpu.worker.WorkerHarness.request;

@ExtendWith(VertxExtension.class)
class VerificationWorkerVerticleTest {

    @Test
    void realSignaturesGetExactlyTheirOwnVerdictsOnTheConfiguredCpuBackend(Vertx vertx) throws Exception {
        WorkerHarness harness = new WorkerHarness(vertx);
        VerificationWorkerVerticle worker = harness.deploy(new VerificationWorkerVerticle(
                WorkerConfig.defaults().withBackend("cpu").withCpuThreads(2).withHealthPort(0), harness.registry));
        assertEquals("cpu(2 threads)", worker.status().backend());
        assertEquals("backend cpu configured", worker.status().reason());
        assertEquals(WorkerConfig.DEFAULT_CPU_BATCH_SIZE, worker.status().maxBatchSize());

        EventSigner alice = EventSigner.random();
        EventSigner bob = EventSigner.random();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add((i % 2 == 0 ? alice : bob).sign(1_700_000_000L + i, 1, List.of(), "note " + i));
        }
        List<Verdict> expected = List.of(VALID, INVALID, VALID, VALID, INVALID, VALID, INVALID, VALID);
        VerifyRequestEncoder encoder = new VerifyRequestEncoder(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            String sig = e.sig();
            if (i == 1) {          // a signature with one changed digit
                sig = (sig.charAt(0) == '0' ? '1' : '0') + sig.substring(1);
            } else if (i == 4) {   // someone else's key
                encoder.addHex(e.id(), (e.pubkey().equals(alice.pubkey()) ? bob : alice).pubkey(), sig);
                continue;
            } else if (i == 6) {   // another event's signature
                sig = events.get(7).sig();
            }
            encoder.addHex(e.id(), e.pubkey(), sig);
        }

        VerifyReply reply = await(harness.send(encoder.finish()), events.size());
        assertEquals(VerifyStatus.OK, reply.status());
        assertEquals(expected, reply.verdicts());
    }

    @Test
    void aFullQueueAnswersOverloadedAtOnceWhileTheBackendIsStillBusy(Vertx vertx) throws Exception {
        ScriptedVerifier backend = new ScriptedVerifier(true);
        WorkerHarness harness = new WorkerHarness(vertx);
        VerificationWorkerVerticle worker = harness.deploy(config(2, 1, 4), backend);

        Future<Message<Object>> inFlight = harness.send(request(checks("a", 2, VALID)));
        Future<Message<Object>> queued = harness.send(request(checks("b", 4, INVALID)));
        awaitUntil("b waits in the queue", () -> worker.status().queueDepth() == 4);

        Message<Object> refused = harness.send(request(checks("c", 1, VALID))).await(5, TimeUnit.SECONDS);
        VerifyReply overloaded = VerifyReply.decode(refused.body(), 1);
        assertEquals(VerifyStatus.OVERLOADED, overloaded.status());
        assertEquals(List.of(NOT_VERIFIED), overloaded.verdicts());
        assertTrue(refused.headers().get(VerifyProtocol.DETAIL_HEADER).contains("overloaded"));
        assertTrue(!inFlight.isComplete() && !queued.isComplete(), "answered before the backend finished anything");

        backend.release(3);
        assertEquals(List.of(VALID, VALID), await(inFlight, 2).verdicts());
        assertEquals(List.of(INVALID, INVALID, INVALID, INVALID), await(queued, 4).verdicts());
        assertEquals(1, worker.status().eventsRefused());
    }

    @Test
    void aBackendFailureAnswersDeviceErrorForItsBatchOnlyAndTheWorkerCarriesOn(Vertx vertx) throws Exception {
        ScriptedVerifier backend = new ScriptedVerifier(false);
        WorkerHarness harness = new WorkerHarness(vertx);
        harness.deploy(config(100, 2, 1_000), backend);

        backend.failNext(1);
        Message<Object> failed = harness.send(request(checks("a", 3, VALID, INVALID))).await(5, TimeUnit.SECONDS);
        VerifyReply reply = VerifyReply.decode(failed.body(), 3);
        assertEquals(VerifyStatus.DEVICE_ERROR, reply.status());
        assertEquals(List.of(NOT_VERIFIED, NOT_VERIFIED, NOT_VERIFIED), reply.verdicts());
        assertTrue(failed.headers().get(VerifyProtocol.DETAIL_HEADER).contains("scripted device failure"),
                failed.headers().get(VerifyProtocol.DETAIL_HEADER));

        VerifyReply next = await(harness.send(request(checks("b", 3, VALID, INVALID))), 3);
        assertEquals(VerifyStatus.OK, next.status());
        assertEquals(List.of(VALID, INVALID, VALID), next.verdicts());
    }

    @Test
    void undeployingAnswersShuttingDownToEverythingUnansweredThenClosesTheBackend(Vertx vertx) throws Exception {
        ScriptedVerifier backend = new ScriptedVerifier(true);
        WorkerHarness harness = new WorkerHarness(vertx);
        VerificationWorkerVerticle worker = harness.deploy(config(2, 1, 1_000), backend);

        Future<Message<Object>> running = harness.send(request(checks("a", 2, VALID)));
        Future<Message<Object>> waiting = harness.send(request(checks("b", 3, VALID)));
        awaitUntil("b waits in the queue", () -> worker.status().queueDepth() == 3);

        Future<Void> undeployed = vertx.undeploy(harness.deploymentId);
        Message<Object> first = running.await(5, TimeUnit.SECONDS);
        assertEquals(VerifyStatus.SHUTTING_DOWN, VerifyReply.decode(first.body(), 2).status());
        assertEquals(List.of(NOT_VERIFIED, NOT_VERIFIED, NOT_VERIFIED), await(waiting, 3).verdicts());
        assertEquals(WorkerStatus.STOPPING, worker.status().status());
        assertTrue(!undeployed.isComplete() && !backend.closed(), "the backend is closed only after its running batch");

        backend.release(10);
        undeployed.await(10, TimeUnit.SECONDS);
        assertTrue(backend.closed());
        assertEquals(1, backend.batches().size(), "the waiting request never reached the backend");
    }

    @Test
    void aStoppedWorkerIsNoLongerRegistered(Vertx vertx) throws Exception {
        WorkerHarness harness = new WorkerHarness(vertx);
        harness.deploy(config(10, 2, 100), new ScriptedVerifier(false));
        vertx.undeploy(harness.deploymentId).await(10, TimeUnit.SECONDS);

        Throwable failure = harness.send(request(checks("a", 1, VALID)))
                .transform(outcome -> Future.succeededFuture(outcome.cause()))
                .await(5, TimeUnit.SECONDS);
        assertEquals(ReplyFailure.NO_HANDLERS, assertInstanceOf(ReplyException.class, failure).failureType());
    }

    @Test
    void malformedRequestsAreAnsweredMalformedWithTheReason(Vertx vertx) throws Exception {
        WorkerHarness harness = new WorkerHarness(vertx);
        harness.deploy(config(10, 2, 100), new ScriptedVerifier(false));

        assertMalformed(harness, "not a buffer", "must be a Buffer");
        assertMalformed(harness, Buffer.buffer(new byte[]{'N', 'V', 1}), "shorter than its 8-byte header");
        Buffer good = request(checks("a", 2, VALID));
        assertMalformed(harness, good.copy().setByte(2, (byte) 7), "version 7 is not supported");
        assertMalformed(harness, good.slice(0, good.length() - 5), "announces 2 events");
        assertMalformed(harness, good.copy().setInt(4, 0), "count 0");
        assertMalformed(harness, good.copy().setInt(4, 1 << 20), "count 1048576");

        assertEquals(List.of(VALID, VALID), await(harness.send(good), 2).verdicts(), "still serving");
    }

    private static void assertMalformed(WorkerHarness harness, Object body, String reason) throws Exception {
        Message<Object> reply = harness.send(body).await(5, TimeUnit.SECONDS);
        VerifyReply decoded = VerifyReply.decode(reply.body(), 99);
        assertEquals(VerifyStatus.MALFORMED_REQUEST, decoded.status());
        assertEquals(0, decoded.count());
        String detail = reply.headers().get(VerifyProtocol.DETAIL_HEADER);
        assertTrue(detail.contains(reason), detail);
    }
}
