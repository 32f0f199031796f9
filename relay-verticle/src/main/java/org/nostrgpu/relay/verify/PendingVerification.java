package org.nostrgpu.relay.verify;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The events of one request to the workers and their verdicts, which may come from several sources racing each
 * other: the worker's reply (in time or late), the local fallback after a missed deadline, or a hedge. Each event's
 * verdict is the first one decided; later ones are dropped. Each event is verified locally at most once, whichever
 * of hedge and fallback asks first.
 *
 * <p>Thread-safe: the reply, the timers and local verification complete on different threads.
 */
final class PendingVerification {
    private final List<Event> events;
    private final List<Promise<Verdict>> verdicts;
    private final boolean[] local;
    private final boolean[] decided;
    private boolean settled;

    PendingVerification(List<Event> events) {
        this.events = events;
        this.verdicts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            verdicts.add(Promise.promise());
        }
        this.local = new boolean[events.size()];
        this.decided = new boolean[events.size()];
    }

    /**
     * Claims the request's outcome for the worker's reply or for the deadline, whichever comes first.
     *
     * @return true for the first caller only
     */
    synchronized boolean settle() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    int size() {
        return events.size();
    }

    Event event(int index) {
        return events.get(index);
    }

    List<Event> events() {
        return events;
    }

    /** One future per event, in request order. */
    List<Future<Verdict>> futures() {
        List<Future<Verdict>> futures = new ArrayList<>(verdicts.size());
        verdicts.forEach(promise -> futures.add(promise.future()));
        return futures;
    }

    /**
     * Makes {@code verdict} the event's answer unless another was decided first; {@code beforeAnswering} runs (for
     * the metrics) before anyone waiting for the verdict sees it.
     *
     * @return true when this verdict became the answer
     */
    boolean decide(int index, Verdict verdict, Runnable beforeAnswering) {
        synchronized (this) {
            if (decided[index]) {
                return false;
            }
            decided[index] = true;
        }
        beforeAnswering.run();
        verdicts.get(index).complete(verdict);
        return true;
    }

    /** The event could not be verified at all (the local verifier refused it, e.g. overloaded). */
    void fail(int index, Throwable failure) {
        synchronized (this) {
            if (decided[index]) {
                return;
            }
            decided[index] = true;
        }
        verdicts.get(index).fail(failure);
    }

    private synchronized boolean isDecided(int index) {
        return decided[index];
    }

    /** Indexes of the events without a verdict that nobody verifies locally yet, now marked as verified locally. */
    synchronized List<Integer> claimForLocal() {
        List<Integer> claimed = new ArrayList<>();
        for (int i = 0; i < local.length; i++) {
            if (!local[i] && !isDecided(i)) {
                local[i] = true;
                claimed.add(i);
            }
        }
        return claimed;
    }

    /** Marks one event as verified locally; false when it already is, or already decided. */
    synchronized boolean claimForLocal(int index) {
        if (local[index] || isDecided(index)) {
            return false;
        }
        local[index] = true;
        return true;
    }

    /** Events without a verdict. */
    synchronized int undecided() {
        int count = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            if (!isDecided(i)) {
                count++;
            }
        }
        return count;
    }
}
