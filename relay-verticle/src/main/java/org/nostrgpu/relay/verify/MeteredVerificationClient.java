package org.nostrgpu.relay.verify;

import io.vertx.core.Future;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.verify.Verdict;

/** Counts the verdicts and times the verifications of a client that verifies by itself (the local mode). */
public final class MeteredVerificationClient implements VerificationClient {
    private final VerificationClient delegate;
    private final VerificationMetrics metrics;
    private final String path;

    public MeteredVerificationClient(VerificationClient delegate, VerificationMetrics metrics, String path) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.path = path;
    }

    @Override
    public Future<Verdict> verify(Event event) {
        long started = System.nanoTime();
        return delegate.verify(event).onComplete(done -> {
            metrics.eventFinished(System.nanoTime() - started);
            if (done.succeeded()) {
                metrics.answered(path, done.result());
            }
        });
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public Future<Void> close() {
        return delegate.close();
    }
}
