package org.nostrgpu.relay.verify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.nostrgpu.common.batch.AdaptiveBatcher;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies in this JVM: events are micro-batched by an {@link AdaptiveBatcher} (sent at once when the verifier
 * is idle, accumulated while it is busy) and each batch runs on a small, bounded worker pool, never on an
 * event loop. A batch is packed into {@link SignatureRecords}, the layout every verifier reads.
 */
public final class LocalVerificationClient implements VerificationClient {
    private final SignatureVerifier verifier;
    private final WorkerExecutor executor;
    private final AdaptiveBatcher<Event, Verdict> batcher;

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
        return batcher.submit(event);
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

    private Future<List<Verdict>> verifyBatch(List<Event> events) {
        return executor.executeBlocking(() -> {
            byte[] codes = verifier.verify(recordsOf(events));
            List<Verdict> verdicts = new ArrayList<>(codes.length);
            for (byte code : codes) {
                verdicts.add(Verdict.ofCode(code));
            }
            return verdicts;
        }, false);
    }

    static SignatureRecords recordsOf(List<Event> events) {
        byte[] packed = new byte[events.size() * SignatureRecords.RECORD_BYTES];
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            SignatureRecords.decodeHex(event.id(), event.pubkey(), event.sig(), packed, i * SignatureRecords.RECORD_BYTES);
        }
        return SignatureRecords.view(ByteBuffer.wrap(packed));
    }
}
