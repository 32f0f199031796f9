package org.nostrgpu.common.batch;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Groups single items into batches for a processor that pays a fixed cost per call (an event-bus request,
 * a JNI or CUDA launch, a SQLite transaction), without making anyone wait when the processor is idle.
 *
 * <ul>
 *   <li>While fewer than {@code maxInFlight} batches are running, a submitted item is sent at once, alone.</li>
 *   <li>While all slots are busy, items wait; each time a batch completes, the waiting items are sent,
 *       at most {@code maxBatchSize} per batch, the rest waiting for the next free slot.</li>
 *   <li>Past {@code maxQueued} waiting items, {@link #submit} fails at once with
 *       {@link BatcherOverloadedException} so the caller can answer or fall back instead of timing out.</li>
 * </ul>
 *
 * <p>The processor receives a batch and must return one result per item, in order. If its future fails, or
 * it returns the wrong number of results, every item of that batch fails with that error and nothing else.
 *
 * <p>Thread-safe: any thread or event loop may submit. The processor is called on the submitting thread or on
 * the thread that completed the previous batch, so it must not block. An item submitted on a Vert.x context has
 * its future completed on that same context; items submitted outside any context are completed on the thread
 * that completes the batch.
 */
public final class AdaptiveBatcher<T, R> {
    /** For {@code maxQueued}: never refuse an item. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    private final String name;
    private final int maxBatchSize;
    private final int maxInFlight;
    private final int maxQueued;
    private final Function<List<T>, Future<List<R>>> processor;

    private final ReentrantLock lock = new ReentrantLock();
    // Invariant: items wait only while every slot is busy.
    private final ArrayDeque<Pending<T, R>> waiting = new ArrayDeque<>();
    private int inFlight;
    private long batchesSent;
    private long itemsSent;
    private long itemsRejected;

    /**
     * @param name         names the batcher in errors and metrics
     * @param maxBatchSize most items given to the processor in one call (at least 1)
     * @param maxInFlight  most batches the processor works on at once (at least 1)
     * @param maxQueued    most items waiting for a free slot before submissions are refused (0 or more;
     *                     {@link #UNBOUNDED} to never refuse)
     * @param processor    turns a batch into one result per item, in order; must not block
     */
    public AdaptiveBatcher(String name, int maxBatchSize, int maxInFlight, int maxQueued,
                           Function<List<T>, Future<List<R>>> processor) {
        if (maxBatchSize < 1 || maxInFlight < 1 || maxQueued < 0) {
            throw new IllegalArgumentException(name + ": needs maxBatchSize >= 1, maxInFlight >= 1, maxQueued >= 0; got "
                    + maxBatchSize + ", " + maxInFlight + ", " + maxQueued);
        }
        this.name = name;
        this.maxBatchSize = maxBatchSize;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.processor = processor;
    }

    /** Queues one item; the future completes with its own result or its batch's failure. */
    public Future<R> submit(T item) {
        Pending<T, R> pending = new Pending<>(item, Promise.promise(), Vertx.currentContext());
        List<List<Pending<T, R>>> ready;
        lock.lock();
        try {
            if (inFlight >= maxInFlight && waiting.size() >= maxQueued) {
                itemsRejected++;
                ready = null;
            } else {
                waiting.add(pending);
                ready = takeReadyBatches();
            }
        } finally {
            lock.unlock();
        }
        if (ready == null) {
            return Future.failedFuture(new BatcherOverloadedException(name, maxQueued));
        }
        ready.forEach(this::dispatch);
        return pending.promise().future();
    }

    /**
     * Queues several items as one unit, all or none, for a caller whose items belong together (one request of
     * many events): they go into free slots at once, in batches of up to {@code maxBatchSize} rather than one by
     * one, and the rest wait. They are refused together, every future failing with
     * {@link BatcherOverloadedException}, when more than {@code maxQueued} items would be left waiting.
     * Each future, in item order, completes with its own result or its batch's failure.
     */
    public List<Future<R>> submitAll(List<T> items) {
        Context context = Vertx.currentContext();
        List<Pending<T, R>> group = new ArrayList<>(items.size());
        for (T item : items) {
            group.add(new Pending<>(item, Promise.promise(), context));
        }
        List<List<Pending<T, R>>> ready;
        lock.lock();
        try {
            // free slots exist only while nothing waits (the invariant), so this is exactly what would be left waiting
            long freeCapacity = (long) (maxInFlight - inFlight) * maxBatchSize;
            long wouldWait = Math.max(0, waiting.size() + (long) group.size() - freeCapacity);
            if (wouldWait > maxQueued) {
                itemsRejected += group.size();
                ready = null;
            } else {
                waiting.addAll(group);
                ready = takeReadyBatches();
            }
        } finally {
            lock.unlock();
        }
        List<Future<R>> futures = new ArrayList<>(group.size());
        if (ready == null) {
            Future<R> refused = Future.failedFuture(new BatcherOverloadedException(name, maxQueued));
            group.forEach(pending -> futures.add(refused));
            return futures;
        }
        ready.forEach(this::dispatch);
        group.forEach(pending -> futures.add(pending.promise().future()));
        return futures;
    }

    public String name() {
        return name;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Batches handed to the processor and not yet completed. */
    public int inFlightBatches() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Items waiting for a free slot. */
    public int queuedItems() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Batches handed to the processor since creation. */
    public long batchesSent() {
        lock.lock();
        try {
            return batchesSent;
        } finally {
            lock.unlock();
        }
    }

    /** Items handed to the processor since creation; divided by {@link #batchesSent()}, the mean batch size. */
    public long itemsSent() {
        lock.lock();
        try {
            return itemsSent;
        } finally {
            lock.unlock();
        }
    }

    /** Items refused with {@link BatcherOverloadedException} since creation. */
    public long itemsRejected() {
        lock.lock();
        try {
            return itemsRejected;
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. Fills free slots with waiting items and claims those slots. */
    private List<List<Pending<T, R>>> takeReadyBatches() {
        List<List<Pending<T, R>>> ready = new ArrayList<>(1);
        while (inFlight < maxInFlight && !waiting.isEmpty()) {
            int size = Math.min(maxBatchSize, waiting.size());
            List<Pending<T, R>> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(waiting.poll());
            }
            inFlight++;
            batchesSent++;
            itemsSent += size;
            ready.add(batch);
        }
        return ready;
    }

    private void dispatch(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> pending : batch) {
            items.add(pending.item());
        }
        Future<List<R>> result;
        try {
            result = processor.apply(items);
            if (result == null) {
                result = Future.failedFuture(new IllegalStateException(name + ": processor returned no future"));
            }
        } catch (Throwable thrown) {
            // failing the batch releases its slot; letting this escape would leave the slot taken forever
            result = Future.failedFuture(thrown);
        }
        result.onComplete(outcome -> finish(batch, outcome));
    }

    private void finish(List<Pending<T, R>> batch, AsyncResult<List<R>> outcome) {
        List<List<Pending<T, R>>> ready;
        lock.lock();
        try {
            inFlight--;
            ready = takeReadyBatches();
        } finally {
            lock.unlock();
        }
        // Start the next batch before delivering this one's results, so the processor is busy again sooner.
        ready.forEach(this::dispatch);
        deliver(batch, outcome);
    }

    private void deliver(List<Pending<T, R>> batch, AsyncResult<List<R>> outcome) {
        Throwable failure = outcome.failed() ? outcome.cause() : null;
        List<R> results = outcome.succeeded() ? outcome.result() : null;
        if (failure == null && (results == null || results.size() != batch.size())) {
            failure = new IllegalStateException(name + ": processor returned "
                    + (results == null ? "null" : results.size() + " results") + " for " + batch.size() + " items");
        }
        Map<Context, List<Runnable>> byContext = new IdentityHashMap<>();
        Context here = Vertx.currentContext();
        for (int i = 0; i < batch.size(); i++) {
            Pending<T, R> pending = batch.get(i);
            Runnable completion = completion(pending, failure, results, i);
            if (pending.context() == null || pending.context() == here) {
                completion.run();
            } else {
                byContext.computeIfAbsent(pending.context(), c -> new ArrayList<>()).add(completion);
            }
        }
        // One hop per submitting context rather than one per item.
        byContext.forEach((context, completions) -> context.runOnContext(v -> completions.forEach(Runnable::run)));
    }

    private static <T, R> Runnable completion(Pending<T, R> pending, Throwable failure, List<R> results, int index) {
        if (failure != null) {
            return () -> pending.promise().fail(failure);
        }
        R result = results.get(index);
        return () -> pending.promise().complete(result);
    }

    private record Pending<T, R>(T item, Promise<R> promise, Context context) {
    }
}
