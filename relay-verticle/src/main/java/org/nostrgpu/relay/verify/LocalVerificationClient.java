package org.nostrgpu.relay.verify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.nostrgpu.common.batch.AdaptiveBatcher;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.util.List;

/**
 * Verifies in this JVM: events are micro-batched by an {@link AdaptiveBatcher} (sent at once when the verifier
 * is idle, accumulated while it is busy) and each batch runs on a small, bounded worker pool, never on an
 * event loop.
 */
public final class LocalVerificationClient implements VerificationClient {
    private final SignatureVerifier verifier;
    private final WorkerExecutor executor;
    private final AdaptiveBatcher<SignatureCheck, Verdict> batcher;

    /**
     * @param maxBatchSize most signatures in one call to the verifier
     * @param maxInFlight  batches verified at once (also the worker pool size)
     * @param maxQueued    signatures waiting for a free slot before new events are refused as overload
     */
    public LocalVerificationClient(Vertx vertx, SignatureVerifier verifier,
                                   int maxBatchSize, int maxInFlight, int maxQueued) {
        this.verifier = verifier;
        this.executor = vertx.createSharedWorkerExecutor("nostr-verify-" + System.identityHashCode(this), maxInFlight);
        this.batcher = new AdaptiveBatcher<>("signature verification", maxBatchSize, maxInFlight, maxQueued,
                this::verifyBatch);
    }

    @Override
    public Future<Verdict> verify(Event event) {
        return batcher.submit(checkOf(event));
    }

    @Override
    public String describe() {
        return verifier.describe();
    }

    @Override
    public Future<Void> close() {
        return executor.close().onComplete(done -> verifier.close());
    }

    /**
     * True when less than one batch waits for this verifier: work submitted now goes into the next batch at the
     * latest. Hedging asks this, so it never queues behind a backlog or builds one.
     */
    public boolean hasSpareCapacity() {
        return batcher.queuedItems() < batcher.maxBatchSize();
    }

    /** Mean events per verifier call since start: how much the batching is doing. */
    public double meanBatchSize() {
        long batches = batcher.batchesSent();
        return batches == 0 ? 0 : (double) batcher.itemsSent() / batches;
    }

    private Future<List<Verdict>> verifyBatch(List<SignatureCheck> checks) {
        return executor.executeBlocking(() -> verifier.verify(checks), false);
    }

    static SignatureCheck checkOf(Event event) {
        return new SignatureCheck(Hex.decode(event.id()), Hex.decode(event.pubkey()), Hex.decode(event.sig()));
    }
}
