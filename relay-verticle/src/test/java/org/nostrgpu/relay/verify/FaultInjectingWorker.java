package org.nostrgpu.relay.verify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.nostrgpu.common.bus.MalformedVerifyMessageException;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequest;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A verification worker for tests that speaks the real protocol (the consumer side of {@link VerifyProtocol}: it
 * decodes each {@link VerifyRequest} and answers a {@link VerifyReply}), verifies with libsecp256k1 when it answers
 * at all, and misbehaves on command: answers late, never answers (a hung or SIGSTOPped process), answers OVERLOADED
 * or DEVICE_ERROR, or dies in the middle of a batch (stops consuming and drops what it holds). The fault can be
 * changed while it runs; requests held by {@link Fault#HANG} are answered when it returns to {@link Fault#NONE}, like
 * a process that gets SIGCONT.
 */
public final class FaultInjectingWorker implements AutoCloseable {
    /** How the worker treats the next requests. */
    public enum Fault {
        /** Verify and answer at once. */
        NONE,
        /** Verify and answer after {@link #lateByMillis}. */
        LATE,
        /** Keep the request and answer nothing (until the fault returns to NONE). */
        HANG,
        /** Answer OVERLOADED at once. */
        OVERLOADED,
        /** Answer DEVICE_ERROR at once. */
        DEVICE_ERROR,
        /** Take the request, then stop consuming: its events and every later request are never answered. */
        DIE
    }

    private final Vertx vertx;
    private final CpuSchnorrVerifier verifier = new CpuSchnorrVerifier(1);
    private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
    private final Queue<Message<Buffer>> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger eventsVerified = new AtomicInteger();
    private final Queue<Integer> requestSizes = new ConcurrentLinkedQueue<>();
    private volatile long lateByMillis;
    private MessageConsumer<Buffer> consumer;

    private FaultInjectingWorker(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Registers a worker on {@code vertx}'s event bus. */
    public static FaultInjectingWorker start(Vertx vertx) throws Exception {
        FaultInjectingWorker worker = new FaultInjectingWorker(vertx);
        worker.consumer = vertx.eventBus().consumer(VerifyProtocol.VERIFY_ADDRESS, worker::onRequest);
        worker.consumer.completion().await(5, TimeUnit.SECONDS);
        return worker;
    }

    public void fault(Fault newFault) {
        fault.set(newFault);
        if (newFault == Fault.NONE) {
            for (Message<Buffer> request = held.poll(); request != null; request = held.poll()) {
                answer(request);
            }
        }
    }

    /** Answers come this late under {@link Fault#LATE}. */
    public void late(long millis) {
        lateByMillis = millis;
        fault(Fault.LATE);
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** Events this worker verified and answered so far. */
    public int eventsVerified() {
        return eventsVerified.get();
    }

    /** The sizes (events) of the requests received so far, oldest first. */
    public List<Integer> requestSizes() {
        return List.copyOf(requestSizes);
    }

    private void onRequest(Message<Buffer> request) {
        requests.incrementAndGet();
        try {
            requestSizes.add(VerifyRequest.decode(request.body()).count());
        } catch (MalformedVerifyMessageException e) {
            request.reply(VerifyReply.malformedRequest().encode());
            return;
        }
        switch (fault.get()) {
            case NONE -> answer(request);
            case LATE -> vertx.setTimer(lateByMillis, fired -> answer(request));
            case HANG -> held.add(request);
            case OVERLOADED -> notVerified(request, VerifyStatus.OVERLOADED);
            case DEVICE_ERROR -> notVerified(request, VerifyStatus.DEVICE_ERROR);
            case DIE -> consumer.unregister(); // the request is dropped unanswered
        }
    }

    private void answer(Message<Buffer> request) {
        VerifyRequest decoded = VerifyRequest.decode(request.body());
        vertx.executeBlocking(() -> verifier.verify(decoded.records()), false).onSuccess(codes -> {
            List<Verdict> verdicts = new ArrayList<>(codes.length);
            for (byte code : codes) {
                verdicts.add(Verdict.ofCode(code));
            }
            eventsVerified.addAndGet(verdicts.size());
            request.reply(VerifyReply.ok(verdicts).encode());
        });
    }

    private static void notVerified(Message<Buffer> request, VerifyStatus status) {
        int count = VerifyRequest.decode(request.body()).count();
        request.reply(VerifyReply.notVerified(status, count).encode());
    }

    /** Answers nothing more and stops consuming. */
    @Override
    public void close() throws Exception {
        fault.set(Fault.DIE);
        held.clear();
        Future<Void> unregistered = consumer.unregister();
        unregistered.await(5, TimeUnit.SECONDS);
        verifier.close();
    }
}
