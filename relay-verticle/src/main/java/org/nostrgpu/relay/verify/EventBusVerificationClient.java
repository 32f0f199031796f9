package org.nostrgpu.relay.verify;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.nostrgpu.common.batch.AdaptiveBatcher;
import org.nostrgpu.common.bus.MalformedVerifyMessageException;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequestEncoder;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.config.VerificationSettings.Fallback;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.verify.Verdict;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Verifies through verification workers on the event bus ({@link VerifyProtocol}), local or clustered, so that an
 * answer reaches the client in bounded time even when a worker hangs.
 *
 * <p>Batching ({@link AdaptiveBatcher}): while a request slot is free an event is sent at once, alone, so low
 * load adds no waiting; while all {@code maxInFlight} requests are outstanding, events accumulate and go out as
 * one request (at most {@code batchSize} events) the moment a slot frees.
 *
 * <p>Time bounds:
 * <ul>
 *   <li>Deadline: each request gets an adaptive deadline from the workers' recent round-trip times
 *       ({@link ResponseTimes}, between {@code deadline-floor-ms} and {@code timeout-ms}). Past it, the request's
 *       slot is freed and its undecided events go to the fallback.</li>
 *   <li>Circuit ({@link WorkerCircuit}): a missed deadline, an OVERLOADED, DEVICE_ERROR or SHUTTING_DOWN reply,
 *       a malformed reply or a failed request opens it; while open, events go to the fallback without being sent,
 *       and a one-signature probe of a known-valid signature is sent every {@code probe-interval-ms} until a worker
 *       answers it correctly within the deadline. "No worker registered" fails at once by itself and does not open
 *       it.</li>
 *   <li>Hedging (cpu fallback only): a request still unanswered after its expected time is also verified by the
 *       local verifier when that verifier is idle; each event takes the first verdict, from either side.</li>
 * </ul>
 *
 * <p>An event a worker did not decide goes to the fallback: with {@link Fallback#CPU} it is verified by the local
 * client (off the event loop); with {@link Fallback#REJECT} its verdict is NOT_VERIFIED, which ingest answers with
 * {@code OK false "error: ..."}. Either way it is never treated as valid without a verdict, and every submitted
 * event gets an answer. A worker's reply that arrives after the deadline still decides the events the fallback has
 * not decided yet.
 */
public final class EventBusVerificationClient implements VerificationClient {
    private static final System.Logger LOG = System.getLogger(EventBusVerificationClient.class.getName());

    private final Vertx vertx;
    private final EventBus bus;
    private final DeliveryOptions delivery;
    private final Fallback fallback;
    private final LocalVerificationClient cpu;
    private final boolean hedging;
    private final VerificationMetrics metrics;
    private final ResponseTimes responseTimes;
    private final WorkerCircuit circuit;
    private final Buffer probeRequest;
    private final AdaptiveBatcher<Event, Future<Verdict>> batcher;
    /** The cause of the last fallback that did not open the circuit, or null while workers answer; logs changes. */
    private volatile FallbackCause lastProblem;

    /**
     * @param settings  deadline floor and cap, probe interval, hedging, requests in flight, fallback
     * @param batchSize most events in one request
     * @param maxQueued events waiting for a free request slot before new ones are refused as overload
     * @param cpu       the local verifier for {@link Fallback#CPU} and hedging; may be null with {@link Fallback#REJECT}
     */
    public EventBusVerificationClient(Vertx vertx, VerificationSettings settings, int batchSize, int maxQueued,
                                      LocalVerificationClient cpu, VerificationMetrics metrics) {
        if (settings.fallback() == Fallback.CPU && cpu == null) {
            throw new IllegalArgumentException("the cpu fallback needs a local verification client");
        }
        this.vertx = vertx;
        this.bus = vertx.eventBus();
        // the bus forgets a request at the cap; until then a late reply still counts (it teaches the deadline)
        this.delivery = new DeliveryOptions().setSendTimeout(settings.timeoutMs());
        this.fallback = settings.fallback();
        this.cpu = settings.fallback() == Fallback.CPU ? cpu : null;
        this.hedging = settings.hedging() && this.cpu != null;
        this.metrics = metrics;
        this.responseTimes = new ResponseTimes(settings.deadlineFloorMs(), settings.timeoutMs(),
                settings.hedgeAfterMinMs());
        this.circuit = new WorkerCircuit(vertx, settings.probeIntervalMs(), this::probe);
        this.probeRequest = knownValidRequest();
        this.batcher = new AdaptiveBatcher<>("verification requests", batchSize, settings.maxInFlight(), maxQueued,
                this::send);
        metrics.watchQueue(batcher, batcher::queuedItems, batcher::inFlightBatches, b -> b.itemsRejected());
        metrics.watchWorkers(circuit::openGauge, responseTimes::deadlineMillis);
    }

    @Override
    public Future<Verdict> verify(Event event) {
        long started = System.nanoTime();
        Context caller = Vertx.currentContext();
        Future<Verdict> verdict = batcher.submit(event).compose(answer -> answer);
        verdict.onComplete(done -> metrics.eventFinished(System.nanoTime() - started));
        return onContext(verdict, caller);
    }

    @Override
    public String describe() {
        return "verification workers on the event bus (" + VerifyProtocol.VERIFY_ADDRESS + "), fallback "
                + (fallback == Fallback.CPU ? "cpu: " + cpu.describe() + (hedging ? ", hedging" : "") : "reject");
    }

    /** Closes the circuit's timers and the CPU fallback; call once no verification is pending. */
    @Override
    public Future<Void> close() {
        circuit.close();
        return cpu == null ? Future.succeededFuture() : cpu.close();
    }

    /** Requests sent so far. */
    public long requestsSent() {
        return batcher.batchesSent();
    }

    /** Events sent in requests so far; divided by {@link #requestsSent()}, the mean request size. */
    public long eventsSent() {
        return batcher.itemsSent();
    }

    /** The deadline a request sent now would get, in milliseconds. */
    public long currentDeadlineMillis() {
        return responseTimes.deadlineMillis();
    }

    /** Whether requests go to the workers (closed circuit) rather than straight to the fallback. */
    public boolean workersInUse() {
        return circuit.isClosed();
    }

    /**
     * Hands a batch to the workers. The returned future frees the batch's slot: when the reply came, or at the
     * deadline, whichever is first; the events' own futures complete when their verdicts are decided.
     */
    private Future<List<Future<Verdict>>> send(List<Event> events) {
        PendingVerification pending = new PendingVerification(events);
        if (!circuit.isClosed()) {
            fallBack(pending, FallbackCause.CIRCUIT_OPEN, null);
            return Future.succeededFuture(pending.futures());
        }
        Promise<Void> slot = Promise.promise();
        circuit.attempt(attempt -> exchange(pending, attempt, slot)).onFailure(failure -> {
            if (WorkerCircuit.wasShortCircuited(failure)) { // opened between the check and the attempt
                fallBack(pending, FallbackCause.CIRCUIT_OPEN, null);
                slot.tryComplete();
            }
        });
        return slot.future().map(freed -> pending.futures());
    }

    private void exchange(PendingVerification pending, Promise<Void> attempt, Promise<Void> slot) {
        VerifyRequestEncoder encoder = new VerifyRequestEncoder(pending.size());
        for (Event event : pending.events()) {
            encoder.addHex(event.id(), event.pubkey(), event.sig());
        }
        metrics.requestSent(pending.size());
        long deadlineMillis = responseTimes.deadlineMillis();
        long sent = System.nanoTime();
        long deadlineTimer = vertx.setTimer(deadlineMillis, fired -> {
            if (pending.settle()) {
                // the circuit first: freeing the slot sends the waiting events, which must find it open
                circuit.fault(attempt, new WorkerFault(FallbackCause.TIMEOUT, "no answer within " + deadlineMillis + " ms"));
                fallBack(pending, FallbackCause.TIMEOUT, null);
                slot.complete();
            }
        });
        long hedgeTimer = hedging
                ? vertx.setTimer(responseTimes.hedgeAfterMillis(deadlineMillis), fired -> hedge(pending)) : -1;
        bus.<Buffer>request(VerifyProtocol.VERIFY_ADDRESS, encoder.finish(), delivery).onComplete(outcome -> {
            vertx.cancelTimer(deadlineTimer);
            if (hedgeTimer >= 0) {
                vertx.cancelTimer(hedgeTimer);
            }
            long roundTrip = System.nanoTime() - sent;
            metrics.requestFinished(roundTrip);
            boolean inTime = pending.settle();
            answer(pending, outcome, roundTrip, inTime ? attempt : null);
            if (inTime) {
                slot.complete();
            }
        });
    }

    /**
     * Applies a worker's reply or the request's failure. {@code attempt} is null for a reply after the deadline:
     * the circuit already counted that request and its undecided events are with the fallback, but an OK reply still
     * decides those the fallback has not.
     */
    private void answer(PendingVerification pending, AsyncResult<Message<Buffer>> outcome, long roundTrip,
                        Promise<Void> attempt) {
        ReplyCheck check = ReplyCheck.of(outcome, pending.size());
        if (check.reply() == null) {
            if (attempt == null) {
                return;
            }
            if (check.cause() == FallbackCause.NO_WORKER) {
                attempt.tryComplete(); // fails fast by itself; a worker that registers is used at once
                problem(check.cause(), check.detail());
            } else {
                circuit.fault(attempt, new WorkerFault(check.cause(), check.detail()));
            }
            fallBack(pending, check.cause(), check.detail());
            return;
        }
        responseTimes.record(roundTrip);
        if (attempt != null) {
            attempt.tryComplete();
            workersAnswer();
        }
        VerifyReply reply = check.reply();
        for (int i = 0; i < pending.size(); i++) {
            Verdict verdict = reply.verdict(i);
            if (verdict == Verdict.NOT_VERIFIED) {
                if (attempt == null) {
                    continue; // late: the fallback has it already
                }
                if (cpu == null) {
                    pending.decide(i, Verdict.NOT_VERIFIED, () -> {
                        metrics.fellBack(FallbackCause.UNDECIDED, 1);
                        metrics.answered(VerificationMetrics.REJECT_FALLBACK_PATH, Verdict.NOT_VERIFIED);
                    });
                } else if (pending.claimForLocal(i)) {
                    metrics.fellBack(FallbackCause.UNDECIDED, 1);
                    verifyLocally(pending, i, VerificationMetrics.CPU_FALLBACK_PATH);
                }
            } else {
                pending.decide(i, verdict, () -> metrics.answered(VerificationMetrics.WORKER_PATH, verdict));
            }
        }
    }

    /** Every undecided event of the request to the fallback (those already verified locally by a hedge keep that). */
    private void fallBack(PendingVerification pending, FallbackCause cause, String detail) {
        if (cpu == null) {
            for (int i = 0; i < pending.size(); i++) {
                pending.decide(i, Verdict.NOT_VERIFIED, () -> {
                    metrics.fellBack(cause, 1);
                    metrics.answered(VerificationMetrics.REJECT_FALLBACK_PATH, Verdict.NOT_VERIFIED);
                });
            }
            return;
        }
        metrics.fellBack(cause, pending.undecided());
        for (int index : pending.claimForLocal()) {
            verifyLocally(pending, index, VerificationMetrics.CPU_FALLBACK_PATH);
        }
    }

    /** The request is past its expected time: verify its events here too, if this relay's verifier is idle. */
    private void hedge(PendingVerification pending) {
        if (!cpu.hasSpareCapacity()) {
            return;
        }
        List<Integer> claimed = pending.claimForLocal();
        metrics.hedged(claimed.size());
        for (int index : claimed) {
            verifyLocally(pending, index, VerificationMetrics.CPU_HEDGE_PATH);
        }
    }

    private void verifyLocally(PendingVerification pending, int index, String path) {
        cpu.verify(pending.event(index)).onComplete(done -> {
            if (done.failed()) {
                pending.fail(index, done.cause());
            } else {
                pending.decide(index, done.result(), () -> metrics.answered(path, done.result()));
            }
        });
    }

    /**
     * While the circuit is half-open: one signature known to be valid, sent alone; the circuit closes when a worker
     * calls it VALID within the deadline.
     */
    private void probe() {
        long deadlineMillis = responseTimes.deadlineMillis();
        circuit.attempt(attempt -> bus.<Buffer>request(VerifyProtocol.VERIFY_ADDRESS, probeRequest.copy(),
                new DeliveryOptions().setSendTimeout(deadlineMillis)).onComplete(outcome -> {
            ReplyCheck check = ReplyCheck.of(outcome, 1);
            if (check.reply() != null && check.reply().verdict(0) == Verdict.VALID) {
                attempt.tryComplete();
            } else if (check.reply() != null) {
                circuit.fault(attempt, new WorkerFault(FallbackCause.UNDECIDED,
                        "the probe's known-valid signature came back " + check.reply().verdict(0)));
            } else {
                circuit.fault(attempt, new WorkerFault(check.cause(), check.detail()));
            }
        }));
    }

    private static Buffer knownValidRequest() {
        Event probe = EventSigner.random().sign(0, 1, List.of(), "verification worker probe");
        return new VerifyRequestEncoder(1).addHex(probe.id(), probe.pubkey(), probe.sig()).finish();
    }

    /** Logs when events fall back without the circuit opening (no worker registered), and when that ends. */
    private void problem(FallbackCause cause, String detail) {
        if (lastProblem != cause) {
            lastProblem = cause;
            LOG.log(Level.WARNING, cause.description() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")")
                    + "; falling back: " + (fallback == Fallback.CPU ? "verifying on this relay's CPU"
                    : "refusing events with OK false until a worker answers"));
        }
    }

    private void workersAnswer() {
        if (lastProblem != null) {
            lastProblem = null;
            LOG.log(Level.INFO, "verification workers answer again; events go to them");
        }
    }

    /**
     * A reply checked against the protocol: the decoded OK reply, or the cause (and detail) that sends the request's
     * events to the fallback.
     */
    private record ReplyCheck(VerifyReply reply, FallbackCause cause, String detail) {
        static ReplyCheck of(AsyncResult<Message<Buffer>> outcome, int count) {
            if (outcome.failed()) {
                return new ReplyCheck(null, FallbackCause.ofRequestFailure(outcome.cause()), outcome.cause().getMessage());
            }
            Message<Buffer> message = outcome.result();
            VerifyReply reply;
            try {
                reply = VerifyReply.decode(message.body(), count);
            } catch (MalformedVerifyMessageException e) {
                return new ReplyCheck(null, FallbackCause.MALFORMED_REPLY, e.getMessage());
            }
            if (reply.status() != VerifyStatus.OK) {
                return new ReplyCheck(null, FallbackCause.ofStatus(reply.status()),
                        message.headers().get(VerifyProtocol.DETAIL_HEADER));
            }
            return new ReplyCheck(reply, null, null);
        }
    }

    /**
     * The verdict on the caller's context: fallback answers complete on the context that received the reply,
     * and the ingest stage goes on where the event came from.
     */
    private static <T> Future<T> onContext(Future<T> future, Context caller) {
        if (caller == null || future.isComplete()) {
            return future;
        }
        Promise<T> promise = Promise.promise();
        future.onComplete(done -> {
            if (Vertx.currentContext() == caller) {
                promise.handle(done);
            } else {
                caller.runOnContext(ignored -> promise.handle(done));
            }
        });
        return promise.future();
    }
}
