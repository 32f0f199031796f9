package org.nostrgpu.relay.verify;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.config.VerificationSettings.Fallback;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.Eventually;
import org.nostrgpu.relay.verify.FaultInjectingWorker.Fault;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verification client against a worker that misbehaves ({@link FaultInjectingWorker}, the real protocol): every
 * event still gets its own right verdict, from the worker or the CPU fallback, without waiting for a worker that
 * does not answer; the circuit opens on a fault and closes when a probe is answered in time.
 */
class WorkerFaultsTest {
    private static final long WAIT_MS = 10_000;
    /** Short deadlines, so the tests do not wait long for a hung worker. */
    private static final VerificationSettings SETTINGS = VerificationSettings.defaults()
            .withDeadlines(100, 300).withProbeIntervalMs(100).withHedging(false, 0);

    private final EventSigner author = EventSigner.random();
    private Vertx vertx;
    private PrometheusMeterRegistry registry;
    private VerificationMetrics metrics;
    private FaultInjectingWorker worker;
    private EventBusVerificationClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        registry = PrometheusMetrics.newRegistry();
        metrics = new VerificationMetrics(registry);
        worker = FaultInjectingWorker.start(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        worker.close();
        if (client != null) {
            client.close().await(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        vertx.close().await(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void aHungWorkerOpensTheCircuitAtTheDeadlineAndAnsweringAgainClosesIt() throws Exception {
        client = client(SETTINGS);
        assertAnsweredRight(List.of(event("before the hang")));
        assertEquals(1, metrics.count(VerificationMetrics.WORKER_PATH, Verdict.VALID));

        worker.fault(Fault.HANG); // kill -STOP
        int requestsBefore = worker.requests();
        assertAnsweredRight(List.of(event("first after the hang")));
        assertEquals(1, metrics.fallbacks(FallbackCause.TIMEOUT), "answered by the fallback at the deadline");
        Eventually.await("the circuit opens", () -> !client.workersInUse());

        List<Event> whileOpen = mixed("while the circuit is open", 30);
        assertAnsweredRight(whileOpen);
        assertEquals(30, metrics.fallbacks(FallbackCause.CIRCUIT_OPEN), "none of them waited for the worker");
        List<Integer> sizes = worker.requestSizes();
        for (int size : sizes.subList(requestsBefore + 1, sizes.size())) {
            assertEquals(1, size, "only one-signature probes reach a worker whose circuit is open: " + sizes);
        }
        Eventually.await("probes keep checking the hung worker", () -> worker.requests() >= requestsBefore + 3);

        worker.fault(Fault.NONE); // kill -CONT
        Eventually.await("a probe answered in time closes the circuit", () -> client.workersInUse());
        assertAnsweredRight(List.of(event("after the worker came back")));
        assertEquals(2, metrics.count(VerificationMetrics.WORKER_PATH, Verdict.VALID), "the worker decides again");
    }

    @Test
    void overloadedAndDeviceErrorRepliesOpenTheCircuitUntilAProbeIsAnsweredInTime() throws Exception {
        client = client(SETTINGS);
        for (Fault fault : List.of(Fault.OVERLOADED, Fault.DEVICE_ERROR)) {
            worker.fault(fault);
            assertAnsweredRight(List.of(event("refused by the worker: " + fault)));
            Eventually.await("the circuit opens on " + fault, () -> !client.workersInUse());
            assertAnsweredRight(mixed("while open after " + fault, 5));
            worker.fault(Fault.NONE);
            Eventually.await("the circuit closes after " + fault, () -> client.workersInUse());
        }
        assertEquals(1, metrics.fallbacks(FallbackCause.OVERLOADED));
        assertEquals(1, metrics.fallbacks(FallbackCause.DEVICE_ERROR));
        assertEquals(10, metrics.fallbacks(FallbackCause.CIRCUIT_OPEN));
    }

    @Test
    void aWorkerThatDiesMidBatchLosesNoEventAndLetsNoBadSignatureThrough() throws Exception {
        client = client(SETTINGS.withMaxInFlight(1));
        assertAnsweredRight(List.of(event("answered before it dies")));
        worker.fault(Fault.DIE);
        assertAnsweredRight(mixed("sent to a dying worker", 40));
        assertTrue(worker.requests() >= 2, "the dying worker took a request");
        assertEquals(1, worker.eventsVerified(), "it answered nothing after dying");
    }

    @Test
    void aLateRequestIsHedgedOnTheIdleCpuAndTheFirstVerdictWins() throws Exception {
        // enough slots that all six go out before the first late reply teaches the estimate that this worker is slow
        client = client(SETTINGS.withDeadlines(5_000, 5_000).withHedging(true, 20).withMaxInFlight(8));
        for (int i = 0; i < 20; i++) { // what "expected" means for this worker
            assertAnsweredRight(List.of(event("the worker's normal pace " + i)));
        }
        long decidedByWorker = decidedByWorker();
        int verifiedByWorker = worker.eventsVerified();
        worker.late(2_000);
        List<Event> events = mixed("hedged", 6);
        assertAnsweredRight(events);
        assertTrue(metrics.hedgedEvents() >= 1, "nothing was hedged");
        assertEquals(decidedByWorker, decidedByWorker(), "the late worker decided nothing");
        assertTrue(client.workersInUse(), "a late but timely worker keeps the circuit closed");
        Eventually.await("the late answers arrive", () -> worker.eventsVerified() == verifiedByWorker + events.size());
        assertEquals(decidedByWorker, decidedByWorker(), "a verdict is never decided twice");
    }

    @Test
    void withTheRejectFallbackAHungWorkerGetsNotVerifiedAtTheDeadline() throws Exception {
        client = client(SETTINGS.withFallback(Fallback.REJECT));
        worker.fault(Fault.HANG);
        List<Future<Verdict>> verdicts = new ArrayList<>();
        for (Event event : mixed("rejected", 5)) {
            verdicts.add(client.verify(event));
        }
        for (Future<Verdict> verdict : verdicts) {
            assertEquals(Verdict.NOT_VERIFIED, verdict.await(WAIT_MS, TimeUnit.MILLISECONDS));
        }
        assertFalse(client.workersInUse());
    }

    private long decidedByWorker() {
        return metrics.count(VerificationMetrics.WORKER_PATH, Verdict.VALID)
                + metrics.count(VerificationMetrics.WORKER_PATH, Verdict.INVALID);
    }

    private EventBusVerificationClient client(VerificationSettings settings) {
        LocalVerificationClient cpu = settings.fallback() == Fallback.CPU
                ? new LocalVerificationClient(vertx, new CpuSchnorrVerifier(1), 64, 1, 1_000) : null;
        return new EventBusVerificationClient(vertx, settings, 16, 1_000, cpu, metrics);
    }

    /** Submits all at once and requires VALID for each good signature and INVALID for each bad one. */
    private void assertAnsweredRight(List<Event> events) throws Exception {
        List<Future<Verdict>> verdicts = new ArrayList<>();
        for (Event event : events) {
            verdicts.add(client.verify(event));
        }
        for (int i = 0; i < events.size(); i++) {
            Verdict expected = isCorrupted(events.get(i)) ? Verdict.INVALID : Verdict.VALID;
            assertEquals(expected, verdicts.get(i).await(WAIT_MS, TimeUnit.MILLISECONDS), events.get(i).content());
        }
    }

    private Event event(String content) {
        return author.sign(System.currentTimeMillis() / 1000, 1, List.of(), content);
    }

    /** {@code count} events, every third with a corrupted signature (its content says so). */
    private List<Event> mixed(String label, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Event event = event(label + " " + i + (i % 3 == 1 ? " corrupted" : ""));
            events.add(i % 3 == 1 ? corrupted(event) : event);
        }
        return events;
    }

    private static boolean isCorrupted(Event event) {
        return event.content().endsWith(" corrupted");
    }

    private static Event corrupted(Event event) {
        char first = event.sig().charAt(0);
        String sig = (first == '0' ? '1' : '0') + event.sig().substring(1);
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(), sig);
    }
}
