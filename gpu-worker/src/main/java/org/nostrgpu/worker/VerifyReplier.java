package org.nostrgpu.worker;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;

/** Sends verify replies, with the failure detail header where there is one, and counts them. */
final class VerifyReplier {
    private final WorkerMetrics metrics;

    VerifyReplier(WorkerMetrics metrics) {
        this.metrics = metrics;
    }

    /** @param detail why a failure reply fails, for the relay's logs; null for none */
    void reply(Message<?> request, VerifyReply reply, String detail, long receivedNanos) {
        DeliveryOptions options = new DeliveryOptions();
        if (detail != null) {
            options.addHeader(VerifyProtocol.DETAIL_HEADER, detail);
        }
        request.reply(reply.encode(), options);
        metrics.replied(reply.status(), System.nanoTime() - receivedNanos);
    }
}
