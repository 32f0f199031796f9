package org.nostrgpu.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyStatus;

/** Sends encoded verify replies, with the failure detail header where there is one, and counts them. */
final class VerifyReplier {
    private final WorkerMetrics metrics;

    VerifyReplier(WorkerMetrics metrics) {
        this.metrics = metrics;
    }

    /** @param detail why a failure reply fails, for the relay's logs; null for none */
    void reply(Message<?> request, Buffer encodedReply, VerifyStatus status, String detail, long receivedNanos) {
        if (detail == null) {
            request.reply(encodedReply);
        } else {
            request.reply(encodedReply, new DeliveryOptions().addHeader(VerifyProtocol.DETAIL_HEADER, detail));
        }
        metrics.replied(status, System.nanoTime() - receivedNanos);
    }
}
