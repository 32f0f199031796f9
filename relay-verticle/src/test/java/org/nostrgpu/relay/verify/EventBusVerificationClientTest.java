package org.nostrgpu.relay.verify;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequest;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.config.VerificationSettings.Fallback;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.Eventually;
import org.nostrgpu.worker.VerificationWorkerVerticle;
import org.nostrgpu.worker.BackendSelection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's event-bus verification client against a scripted worker on a local event bus: when requests go
 * out and how big they are, and what each failure turns into under the cpu and reject fallbacks.
 */
class EventBusVerificationClientTest {
    private static final long WAIT_MS = 5_000;

    private final EventSigner author = EventSigner.random();
    private Vertx vertx;
    private PrometheusMeterRegistry registry;
    private VerificationMetrics metrics;
    private EventBusVerificationClient client;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    /** Requests the scripted worker received and has not answered yet, oldest first. */
    private final BlockingQueue<Message<Buffer>> held = new LinkedBlockingQueue<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        registry = PrometheusMetrics.newRegistry();
        metrics = new VerificationMetrics(registry);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close().await(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        vertx.close().await(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    // ---- batching ----

    @Test
    void anEventSubmittedWhileNothingIsInFlightIsSentAtOnceAlone() throws Exception {
        holdingWorker();
        client = client(8, 1, Fallback.CPU, 5_000);
        Future<Verdict> verdict = submit(event("alone"));
        Message<Buffer> request = nextRequest();
        assertEquals(1, VerifyRequest.decode(request.body()).count());
        request.reply(VerifyReply.ok(List.of(Verdict.VALID)).encode());
        assertEquals(Verdict.VALID, verdict.await(WAIT_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void eventsAccumulateWhileARequestIsInFlightAndGoTogetherWhenItsReplyReturns() throws Exception {
        holdingWorker();
        client = client(8, 1, Fallback.CPU, 5_000);
        Future<Verdict> first = submit(event("first"));
        Message<Buffer> firstRequest = nextRequest();
        List<Future<Verdict>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(submit(event("waiting " + i)));
        }
        assertNull(held.poll(200, TimeUnit.MILLISECONDS), "nothing more is sent while the request is in flight");

        firstRequest.reply(VerifyReply.ok(List.of(Verdict.VALID)).encode());
        Message<Buffer> second = nextRequest();
        assertEquals(3, VerifyRequest.decode(second.body()).count(), "the accumulated events go as one request");
        second.reply(VerifyReply.ok(List.of(Verdict.VALID, Verdict.INVALID, Verdict.VALID)).encode());
        assertEquals(Verdict.VALID, first.await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(List.of(Verdict.VALID, Verdict.INVALID, Verdict.VALID), awaitAll(waiting));
        assertEquals(2, client.requestsSent());
    }

    @Test
    void aFullBatchGoesAsOneRequestAndTheRestFollowsInTheNext() throws Exception {
        holdingWorker();
        client = client(4, 1, Fallback.CPU, 5_000);
        Future<Verdict> first = submit(event("first"));
        Message<Buffer> firstRequest = nextRequest();
        List<Future<Verdict>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waiting.add(submit(event("waiting " + i)));
        }
        firstRequest.reply(VerifyReply.ok(List.of(Verdict.VALID)).encode());
        Message<Buffer> full = nextRequest();
        assertEquals(4, VerifyRequest.decode(full.body()).count(), "a request holds at most the batch size");
        assertNull(held.poll(200, TimeUnit.MILLISECONDS), "the remaining two wait for the full request's reply");
        full.reply(VerifyReply.ok(Collections.nCopies(4, Verdict.VALID)).encode());
        Message<Buffer> rest = nextRequest();
        assertEquals(2, VerifyRequest.decode(rest.body()).count());
        rest.reply(VerifyReply.ok(List.of(Verdict.INVALID, Verdict.VALID)).encode());
        first.await(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(List.of(Verdict.VALID, Verdict.VALID, Verdict.VALID, Verdict.VALID, Verdict.INVALID, Verdict.VALID),
                awaitAll(waiting));
        assertEquals(1 + 4 + 2, client.eventsSent());
    }

    @Test
    void withTwoSlotsASecondEventIsSentAtOnceAndTheThirdWaitsForAReply() throws Exception {
        holdingWorker();
        client = client(8, 2, Fallback.CPU, 5_000);
        Future<Verdict> first = submit(event("first"));
        Future<Verdict> second = submit(event("second"));
        Message<Buffer> one = nextRequest();
        Message<Buffer> two = nextRequest();
        Future<Verdict> third = submit(event("third"));
        assertNull(held.poll(200, TimeUnit.MILLISECONDS));
        two.reply(VerifyReply.ok(List.of(Verdict.INVALID)).encode());
        Message<Buffer> three = nextRequest();
        three.reply(VerifyReply.ok(List.of(Verdict.VALID)).encode());
        one.reply(VerifyReply.ok(List.of(Verdict.VALID)).encode());
        assertEquals(List.of(Verdict.VALID, Verdict.INVALID, Verdict.VALID), awaitAll(List.of(first, second, third)));
    }

    // ---- per-event verdicts with a real worker ----

    @Test
    void aMixedBatchThroughARealWorkerGetsEachEventsOwnVerdict() throws Exception {
        WorkerConfig config = WorkerConfig.defaults().withBackend("cpu").withCpuThreads(2).withHealthPort(0);
        vertx.deployVerticle(new VerificationWorkerVerticle(config, registry,
                () -> new BackendSelection(new CpuSchnorrVerifier(2), "test", null)))
                .await(WAIT_MS, TimeUnit.MILLISECONDS);
        client = client(64, 1, Fallback.REJECT, 5_000);
        List<Event> events = new ArrayList<>();
        List<Verdict> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Event valid = event("mixed " + i);
            boolean corrupt = i % 3 == 1;
            events.add(corrupt ? withBadSignature(valid) : valid);
            expected.add(corrupt ? Verdict.INVALID : Verdict.VALID);
        }
        List<Future<Verdict>> verdicts = new ArrayList<>();
        events.forEach(event -> verdicts.add(submit(event)));
        assertEquals(expected, awaitAll(verdicts));
        long invalid = expected.stream().filter(v -> v == Verdict.INVALID).count();
        assertEquals(invalid, metrics.count(VerificationMetrics.WORKER_PATH, Verdict.INVALID));
        assertEquals(40 - invalid, metrics.count(VerificationMetrics.WORKER_PATH, Verdict.VALID));
        assertEquals(0, totalFallbacks());
    }

    // ---- fallbacks ----

    @Test
    void withNoWorkerRegisteredTheCpuFallbackVerifiesEachEvent() throws Exception {
        client = client(8, 1, Fallback.CPU, 5_000);
        Event valid = event("valid");
        Event invalid = withBadSignature(event("invalid"));
        assertEquals(Verdict.VALID, submit(valid).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(Verdict.INVALID, submit(invalid).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(2, metrics.fallbacks(FallbackCause.NO_WORKER));
        assertEquals(1, metrics.count(VerificationMetrics.CPU_FALLBACK_PATH, Verdict.VALID));
        assertEquals(1, metrics.count(VerificationMetrics.CPU_FALLBACK_PATH, Verdict.INVALID));
        assertEquals(0, metrics.count(VerificationMetrics.WORKER_PATH, Verdict.VALID));
    }

    @Test
    void aWorkerThatDoesNotAnswerInTimeLeavesTheEventsToTheFallback() throws Exception {
        holdingWorker();
        client = client(8, 1, Fallback.CPU, 200);
        Future<Verdict> valid = submit(event("slow"));
        assertNotNull(nextRequest(), "the request reached the worker, which never answers");
        assertEquals(Verdict.VALID, valid.await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, metrics.fallbacks(FallbackCause.TIMEOUT));
        assertEquals(1, metrics.count(VerificationMetrics.CPU_FALLBACK_PATH, Verdict.VALID));
    }

    @Test
    void anOverloadedReplySendsTheWholeRequestToTheFallbackAndOpensTheCircuit() throws Exception {
        scriptedWorker(request -> VerifyReply.notVerified(VerifyStatus.OVERLOADED, request.count()).encode());
        client = client(8, 1, Fallback.CPU, 5_000);
        assertEquals(Verdict.VALID, submit(event("a")).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, metrics.fallbacks(FallbackCause.OVERLOADED));
        awaitCircuitOpen();
        assertEquals(Verdict.INVALID, submit(withBadSignature(event("b"))).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, metrics.fallbacks(FallbackCause.CIRCUIT_OPEN), "not sent while the circuit is open");
    }

    @Test
    void onlyTheEventsAnOkReplyLeftUndecidedGoToTheFallback() throws Exception {
        Event decided = event("decided");
        Event undecided = event("undecided");
        holdingWorker();
        client = client(8, 1, Fallback.CPU, 5_000);
        Future<Verdict> warmUp = submit(event("warm-up"));
        Message<Buffer> first = nextRequest();
        Future<Verdict> a = submit(decided);
        Future<Verdict> b = submit(undecided);
        first.reply(VerifyReply.ok(List.of(Verdict.VALID)).encode());
        Message<Buffer> pair = nextRequest();
        // the worker claims INVALID for a good signature: the relay takes a worker's decided verdict as final
        pair.reply(VerifyReply.ok(List.of(Verdict.INVALID, Verdict.NOT_VERIFIED)).encode());
        warmUp.await(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(Verdict.INVALID, a.await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(Verdict.VALID, b.await(WAIT_MS, TimeUnit.MILLISECONDS), "verified by the cpu fallback");
        assertEquals(1, metrics.fallbacks(FallbackCause.UNDECIDED));
        assertEquals(1, totalFallbacks());
    }

    @Test
    void aMalformedReplyGoesToTheFallback() throws Exception {
        scriptedWorker(request -> Buffer.buffer("not a verify reply"));
        client = client(8, 1, Fallback.CPU, 5_000);
        assertEquals(Verdict.VALID, submit(event("garbled")).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, metrics.fallbacks(FallbackCause.MALFORMED_REPLY));
    }

    @Test
    void aFailedRequestGoesToTheFallback() throws Exception {
        consumers.add(vertx.eventBus().<Buffer>consumer(VerifyProtocol.VERIFY_ADDRESS,
                message -> message.fail(500, "worker bug")));
        consumers.get(0).completion().await(WAIT_MS, TimeUnit.MILLISECONDS);
        client = client(8, 1, Fallback.CPU, 5_000);
        assertEquals(Verdict.INVALID, submit(withBadSignature(event("failed"))).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, metrics.fallbacks(FallbackCause.FAILED_REQUEST));
    }

    @Test
    void theRejectFallbackAnswersNotVerifiedAndVerifiesNothingItself() throws Exception {
        scriptedWorker(request -> VerifyReply.notVerified(VerifyStatus.DEVICE_ERROR, request.count()).encode());
        client = client(8, 1, Fallback.REJECT, 5_000);
        assertEquals(Verdict.NOT_VERIFIED, submit(event("valid but unverified")).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, metrics.fallbacks(FallbackCause.DEVICE_ERROR));
        awaitCircuitOpen();
        assertEquals(Verdict.NOT_VERIFIED, submit(withBadSignature(event("invalid and unverified")))
                .await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(1, metrics.fallbacks(FallbackCause.CIRCUIT_OPEN));
        assertEquals(2, metrics.count(VerificationMetrics.REJECT_FALLBACK_PATH, Verdict.NOT_VERIFIED));
    }

    @Test
    void withNoWorkerTheRejectFallbackAnswersNotVerifiedAndTheCircuitStaysClosed() throws Exception {
        client = client(8, 1, Fallback.REJECT, 5_000);
        assertEquals(Verdict.NOT_VERIFIED, submit(event("no worker at all")).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(Verdict.NOT_VERIFIED, submit(event("still none")).await(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(2, metrics.fallbacks(FallbackCause.NO_WORKER), "each one asked: a worker that registers is used at once");
        assertTrue(client.workersInUse());
    }

    @Test
    void metricsAppearInThePrometheusText() throws Exception {
        client = client(8, 1, Fallback.CPU, 5_000);
        submit(event("counted")).await(WAIT_MS, TimeUnit.MILLISECONDS);
        String text = registry.scrape();
        assertContains(text, "nostr_relay_verify_fallbacks_total{cause=\"no_worker\"} 1.0");
        assertContains(text, "nostr_relay_verify_verdicts_total{outcome=\"valid\",path=\"cpu_fallback\"} 1.0");
        assertContains(text, "nostr_relay_verify_request_size_events_count 1");
        assertContains(text, "nostr_relay_verify_duration_seconds_count 1");
    }

    // ---- helpers ----

    /**
     * A client whose deadline (5 s) and lack of hedging leave the answering to the test: for the batching and
     * reply-handling tests, which hold requests as long as they like.
     */
    private EventBusVerificationClient client(int batchSize, int maxInFlight, Fallback fallback, long timeoutMs) {
        return client(batchSize, patient(fallback).withMaxInFlight(maxInFlight).withDeadlines(timeoutMs, timeoutMs));
    }

    private static VerificationSettings patient(Fallback fallback) {
        return VerificationSettings.defaults().withFallback(fallback).withDeadlines(5_000, 5_000).withHedging(false, 0);
    }

    private EventBusVerificationClient client(int batchSize, VerificationSettings settings) {
        LocalVerificationClient cpu = settings.fallback() == Fallback.CPU
                ? new LocalVerificationClient(vertx, new CpuSchnorrVerifier(1), 64, 1, 1_000) : null;
        return new EventBusVerificationClient(vertx, settings, batchSize, 1_000, cpu, metrics);
    }

    /** A worker that keeps each request until the test answers it. */
    private void holdingWorker() throws Exception {
        MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(VerifyProtocol.VERIFY_ADDRESS, held::add);
        consumers.add(consumer);
        consumer.completion().await(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private void scriptedWorker(Function<VerifyRequest, Buffer> answer) throws Exception {
        MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(VerifyProtocol.VERIFY_ADDRESS,
                message -> message.reply(answer.apply(VerifyRequest.decode(message.body()))));
        consumers.add(consumer);
        consumer.completion().await(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private void awaitCircuitOpen() throws InterruptedException {
        Eventually.await("the circuit opens", () -> !client.workersInUse());
    }

    private Message<Buffer> nextRequest() throws InterruptedException {
        Message<Buffer> request = held.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(request, "no verify request reached the worker");
        return request;
    }

    private Future<Verdict> submit(Event event) {
        return client.verify(event);
    }

    private Event event(String content) {
        return author.sign(System.currentTimeMillis() / 1000, 1, List.of(), content);
    }

    private static Event withBadSignature(Event event) {
        char first = event.sig().charAt(0);
        String sig = (first == '0' ? '1' : '0') + event.sig().substring(1);
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(), sig);
    }

    private long totalFallbacks() {
        long total = 0;
        for (FallbackCause cause : FallbackCause.values()) {
            total += metrics.fallbacks(cause);
        }
        return total;
    }

    private static void assertContains(String text, String expected) {
        if (!text.contains(expected)) {
            throw new AssertionError("metrics lack \"" + expected + "\":\n" + text);
        }
    }

    private static List<Verdict> awaitAll(List<Future<Verdict>> futures) throws Exception {
        List<Verdict> verdicts = new ArrayList<>();
        for (Future<Verdict> future : futures) {
            verdicts.add(future.await(WAIT_MS, TimeUnit.MILLISECONDS));
        }
        return verdicts;
    }
}
