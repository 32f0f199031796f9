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
import org.nostrgpu.common.config.VerificationSettings.Fallback;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.verify.Verdict;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Verifies through verification workers on the event bus ({@link VerifyProtocol}), local or clustered.
 *
 * <p>Batching ({@link AdaptiveBatcher}): while a request slot is free an event is sent at once, alone, so low
 * load adds no waiting; while all {@code maxInFlight} requests are outstanding, events accumulate and go out as
 * one request (at most {@code batchSize} events) the moment a reply returns.
 *
 * <p>An event a worker did not decide goes to the fallback: no worker registered, no reply in time, a failed or
 * malformed reply, or a NOT_VERIFIED verdict (worker overloaded, device error, shutting down). With
 * {@link Fallback#CPU} it is verified by the given local client (off the event loop); with {@link Fallback#REJECT}
 * its verdict is NOT_VERIFIED, which ingest answers with {@code OK false "error: ..."}. Either way it is never
 * treated as valid without a verdict, and every submitted event gets an answer.
 */
public final class EventBusVerificationClient implements VerificationClient {
    private static final System.Logger LOG = System.getLogger(EventBusVerificationClient.class.getName());

    private final EventBus bus;
    private final DeliveryOptions delivery;
    private final Fallback fallback;
    private final VerificationClient cpu;
    private final VerificationMetrics metrics;
    private final AdaptiveBatcher<Event, Future<Verdict>> batcher;
    /** The cause of the last request's fallback, or null while workers answer; logs only changes. */
    private volatile FallbackCause lastProblem;

    /**
     * @param batchSize   most events in one request
     * @param maxInFlight requests outstanding at once
     * @param maxQueued   events waiting for a free request slot before new ones are refused as overload
     * @param timeoutMs   how long a request may take before its events go to the fallback
     * @param cpu         the local verifier for {@link Fallback#CPU}; may be null with {@link Fallback#REJECT}
     */
    public EventBusVerificationClient(Vertx vertx, int batchSize, int maxInFlight, int maxQueued, long timeoutMs,
                                      Fallback fallback, VerificationClient cpu, VerificationMetrics metrics) {
        if (fallback == Fallback.CPU && cpu == null) {
            throw new IllegalArgumentException("the cpu fallback needs a local verification client");
        }
        this.bus = vertx.eventBus();
        this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
        this.fallback = fallback;
        this.cpu = cpu;
        this.metrics = metrics;
        this.batcher = new AdaptiveBatcher<>("verification requests", batchSize, maxInFlight, maxQueued, this::send);
        metrics.watchQueue(batcher, batcher::queuedItems, batcher::inFlightBatches, b -> b.itemsRejected());
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
                + (fallback == Fallback.CPU ? "cpu: " + cpu.describe() : "reject");
    }

    /** Closes the CPU fallback; call once no verification is pending. */
    @Override
    public Future<Void> close() {
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

    private Future<List<Future<Verdict>>> send(List<Event> events) {
        VerifyRequestEncoder encoder = new VerifyRequestEncoder(events.size());
        for (Event event : events) {
            encoder.addHex(event.id(), event.pubkey(), event.sig());
        }
        Buffer request = encoder.finish();
        metrics.requestSent(events.size());
        long sent = System.nanoTime();
        return bus.<Buffer>request(VerifyProtocol.VERIFY_ADDRESS, request, delivery).transform(outcome -> {
            metrics.requestFinished(System.nanoTime() - sent);
            return Future.succeededFuture(answers(events, outcome));
        });
    }

    /** One future per event: a worker's verdict, or the fallback's. */
    private List<Future<Verdict>> answers(List<Event> events, AsyncResult<Message<Buffer>> outcome) {
        if (outcome.failed()) {
            return fallBackAll(events, FallbackCause.ofRequestFailure(outcome.cause()), outcome.cause().getMessage());
        }
        Message<Buffer> message = outcome.result();
        VerifyReply reply;
        try {
            reply = VerifyReply.decode(message.body(), events.size());
        } catch (MalformedVerifyMessageException e) {
            return fallBackAll(events, FallbackCause.MALFORMED_REPLY, e.getMessage());
        }
        if (reply.status() != VerifyStatus.OK) {
            return fallBackAll(events, FallbackCause.ofStatus(reply.status()),
                    message.headers().get(VerifyProtocol.DETAIL_HEADER));
        }
        workersAnswer();
        List<Future<Verdict>> answers = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Verdict verdict = reply.verdict(i);
            if (verdict == Verdict.NOT_VERIFIED) {
                metrics.fellBack(FallbackCause.UNDECIDED, 1);
                answers.add(fallBack(events.get(i)));
            } else {
                metrics.answered(VerificationMetrics.WORKER_PATH, verdict);
                answers.add(Future.succeededFuture(verdict));
            }
        }
        return answers;
    }

    private List<Future<Verdict>> fallBackAll(List<Event> events, FallbackCause cause, String detail) {
        problem(cause, detail);
        metrics.fellBack(cause, events.size());
        if (fallback == Fallback.REJECT) {
            metrics.answered(VerificationMetrics.REJECT_FALLBACK_PATH, Verdict.NOT_VERIFIED, events.size());
            return Collections.nCopies(events.size(), Future.succeededFuture(Verdict.NOT_VERIFIED));
        }
        List<Future<Verdict>> answers = new ArrayList<>(events.size());
        for (Event event : events) {
            answers.add(fallBack(event));
        }
        return answers;
    }

    private Future<Verdict> fallBack(Event event) {
        if (fallback == Fallback.REJECT) {
            metrics.answered(VerificationMetrics.REJECT_FALLBACK_PATH, Verdict.NOT_VERIFIED);
            return Future.succeededFuture(Verdict.NOT_VERIFIED);
        }
        return cpu.verify(event).onSuccess(verdict -> metrics.answered(VerificationMetrics.CPU_FALLBACK_PATH, verdict));
    }

    /** Logs when the workers stop answering, and why, and when the cause changes; not once per request. */
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
