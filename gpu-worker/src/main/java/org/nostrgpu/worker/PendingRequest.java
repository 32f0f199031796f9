package org.nostrgpu.worker;

import io.vertx.core.eventbus.Message;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyReplyEncoder;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureRecords;

import java.util.function.Consumer;

/**
 * One request whose records are in the worker's queue, possibly spread over several backend batches and sharing
 * them with other requests' records. The backends write its verdicts straight into its reply
 * ({@link VerifyReplyEncoder}); it replies once: {@code OK} when every record came back, {@code DEVICE_ERROR} when
 * any of its batches failed, or whatever {@link #answerNow} is told (shutdown).
 *
 * <p>{@link #take} is called under the batcher's lock; the rest on the worker verticle's event loop.
 */
final class PendingRequest {
    private final Message<?> message;
    private final SignatureRecords records;
    private final VerifyReplyEncoder reply;
    private final long receivedNanos;
    private final VerifyReplier replier;
    private final Consumer<PendingRequest> onAnswered;
    private int taken;
    private int outstanding;
    private String backendFailure;
    private boolean answered;

    PendingRequest(Message<?> message, SignatureRecords records, long receivedNanos, VerifyReplier replier,
                   Consumer<PendingRequest> onAnswered) {
        this.message = message;
        this.records = records;
        this.reply = new VerifyReplyEncoder(records.count());
        this.outstanding = records.count();
        this.receivedNanos = receivedNanos;
        this.replier = replier;
        this.onAnswered = onAnswered;
    }

    int count() {
        return records.count();
    }

    /** Records not yet given to a batch. */
    int untaken() {
        return records.count() - taken;
    }

    /** The next {@code length} records for a batch, with this request's reply as their verdict destination. */
    SignatureBatch.Run take(int length) {
        SignatureBatch.Run run = reply.run(records, taken, length);
        taken += length;
        return run;
    }

    /** {@code length} of its records are back from a batch, or their batch failed. */
    void segmentDone(int length, Throwable failure) {
        if (answered) {
            return;
        }
        if (failure != null && backendFailure == null) {
            backendFailure = "verification backend failed: " + failure;
        }
        outstanding -= length;
        if (outstanding == 0) {
            if (backendFailure == null) {
                answered = true;
                replier.reply(message, reply.finish(), VerifyStatus.OK, null, receivedNanos);
                onAnswered.accept(this);
            } else {
                answerNow(VerifyStatus.DEVICE_ERROR, backendFailure);
            }
        }
    }

    /** Replies at once with a failure status for every event; later verdicts are ignored. */
    void answerNow(VerifyStatus status, String detail) {
        if (answered) {
            return;
        }
        answered = true;
        replier.reply(message, VerifyReply.notVerified(status, records.count()).encode(), status, detail,
                receivedNanos);
        onAnswered.accept(this);
    }
}
