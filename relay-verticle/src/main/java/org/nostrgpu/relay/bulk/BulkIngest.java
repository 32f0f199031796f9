package org.nostrgpu.relay.bulk;

import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.KindClass;
import org.nostrgpu.relay.ingest.EventIngester;
import org.nostrgpu.relay.ingest.OkReply;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds many events through the relay's own ingest stage (limits, id, NIP-70, NIP-40, duplicates, signature,
 * store with replaceable/addressable/deletion semantics), keeping up to {@code window} of them in flight so the
 * verification client and the store's writer receive large batches. The caller's thread blocks while the window
 * is full; answers arrive on other threads and are counted in an {@link IngestTally}.
 *
 * <p>Events are handled concurrently, as events from many clients are: the store's rules give the same final
 * state whatever the order (a deletion stored first refuses the event it names; an older version arriving after
 * a newer one is not kept).
 */
public final class BulkIngest {
    /** Told about every event or line that was not stored for a reason other than being known already. */
    @FunctionalInterface
    public interface Refusals {
        /** @param position where it came from (a line number, an index); {@code reason} is the relay's answer */
        void refused(long position, String reason);
    }

    static final String EPHEMERAL = AnswerPrefix.INVALID.with("ephemeral events are never stored");

    private final EventIngester ingester;
    private final int window;
    private final Semaphore slots;
    private final Refusals refusals;
    private final IngestTally tally = new IngestTally();
    /** Position of the first refusal reported; 0 while none. */
    private final AtomicLong firstRefused = new AtomicLong();

    public BulkIngest(EventIngester ingester, int window, Refusals refusals) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        this.ingester = ingester;
        this.window = window;
        this.slots = new Semaphore(window);
        this.refusals = refusals;
    }

    /** Hands one event to the relay's ingest; blocks while {@code window} events are unanswered. */
    public void submit(Event event, long position) throws InterruptedException {
        tally.read();
        if (event.kindClass() == KindClass.EPHEMERAL) {
            refuse(position, EPHEMERAL);
            return;
        }
        slots.acquire();
        ingester.ingest(event).onComplete(done -> {
            try {
                OkReply reply = done.succeeded() ? done.result() : new OkReply(false,
                        AnswerPrefix.ERROR.with(String.valueOf(done.cause())));
                if (reply.accepted() && reply.message().isEmpty()) {
                    tally.stored();
                } else if (reply.accepted()) {
                    tally.notStored(reply.message());
                } else {
                    refuse(position, reply.message());
                }
            } finally {
                slots.release();
            }
        });
    }

    /** Counts something read that never became an event (a line that is not a valid event). */
    public void invalid(long position, String reason) {
        tally.read();
        refuse(position, reason);
    }

    /** Waits until every submitted event has its answer. */
    public void awaitAnswers() throws InterruptedException {
        slots.acquire(window);
        slots.release(window);
    }

    public IngestTally tally() {
        return tally;
    }

    /** Position of the first refusal reported (the order answers came in), or 0 when nothing was refused. */
    public long firstRefused() {
        return firstRefused.get();
    }

    private void refuse(long position, String reason) {
        firstRefused.compareAndSet(0, position);
        tally.notStored(reason);
        refusals.refused(position, reason);
    }
}
