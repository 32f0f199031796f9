package org.nostrgpu.worker;

import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.Message;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.verify.Verdict;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One request whose events are in the worker's queue, possibly spread over several backend batches and sharing
 * them with other requests' events. Collects each event's verdict at its own index and replies once: {@code OK}
 * when every event came back, {@code DEVICE_ERROR} when any of its batches failed, or whatever
 * {@link #answerNow} is told (shutdown). Confined to the worker verticle's event loop.
 */
final class PendingRequest {
    private final Message<?> message;
    private final Verdict[] verdicts;
    private final long receivedNanos;
    private final VerifyReplier replier;
    private final Consumer<PendingRequest> onAnswered;
    private int outstanding;
    private String backendFailure;
    private boolean answered;

    PendingRequest(Message<?> message, int count, long receivedNanos, VerifyReplier replier,
                   Consumer<PendingRequest> onAnswered) {
        this.message = message;
        this.verdicts = new Verdict[count];
        this.outstanding = count;
        this.receivedNanos = receivedNanos;
        this.replier = replier;
        this.onAnswered = onAnswered;
    }

    /** Event {@code index}'s verdict, or its batch's failure. */
    void settle(int index, AsyncResult<Verdict> result) {
        if (answered) {
            return;
        }
        if (result.succeeded()) {
            verdicts[index] = result.result();
        } else if (backendFailure == null) {
            backendFailure = "verification backend failed: " + result.cause();
        }
        if (--outstanding == 0) {
            if (backendFailure == null) {
                answer(VerifyReply.ok(Arrays.asList(verdicts)), null);
            } else {
                answerNow(VerifyStatus.DEVICE_ERROR, backendFailure);
            }
        }
    }

    /** Replies at once with a failure status for every event; later verdicts are ignored. */
    void answerNow(VerifyStatus status, String detail) {
        answer(VerifyReply.notVerified(status, verdicts.length), detail);
    }

    private void answer(VerifyReply reply, String detail) {
        if (answered) {
            return;
        }
        answered = true;
        replier.reply(message, reply, detail, receivedNanos);
        onAnswered.accept(this);
    }
}
