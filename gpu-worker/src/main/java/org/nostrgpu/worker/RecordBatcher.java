package org.nostrgpu.worker;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.worker.hybrid.Crossover;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The worker's queue: requests wait here whole, and batches are cut from their records by offsets (request, first
 * record, count), never by per-event objects.
 *
 * <ul>
 *   <li>Admission: a request is taken whole, or refused at once (the worker answers OVERLOADED) when more than
 *       {@code maxQueued} records would be left waiting.</li>
 *   <li>Batches go out as soon as their backend has a free slot, at most {@code maxBatchSize} records each, taken
 *       in arrival order (a request may be split between two batches); while every slot is busy, records
 *       accumulate, so the next batch is larger.</li>
 *   <li>Routing (a GPU worker with CPU threads beside it): while fewer records wait than the {@link Crossover} size,
 *       the next batch goes to the CPU lane, otherwise to the GPU lane. Low load (one event at a time) thus runs
 *       on CPU threads with a CPU's latency; under load records pile up past the crossover and the GPU takes
 *       large batches. A batch waits for its own lane's slot rather than spilling into the other lane.</li>
 * </ul>
 * Thread-safe. The backend is called on the thread that submits or that completes the previous batch, and must not
 * block; a batch's requests are settled on the thread that completes it.
 */
final class RecordBatcher {
    private final int maxBatchSize;
    private final int maxQueued;
    private final Lane large;
    private final Lane small;
    private final Function<WorkerBatch, Future<?>> backend;
    private final ReentrantLock lock = new ReentrantLock();
    // Invariant: records wait only while the lane they would go to has no free slot.
    private final ArrayDeque<PendingRequest> waiting = new ArrayDeque<>();
    private volatile Crossover crossover;
    private int queuedRecords;
    private long batchesSent;
    private long recordsSent;
    private long recordsRefused;

    /**
     * @param large     the lane for batches at or above the crossover (the only lane without one)
     * @param small     the lane for batches below the crossover, or null for a single-lane worker
     * @param crossover where the lanes divide; ignored without a small lane
     * @param backend   runs a batch; its future completes when the batch's verdicts are written
     */
    RecordBatcher(int maxBatchSize, int maxQueued, Lane large, Lane small, Crossover crossover,
                  Function<WorkerBatch, Future<?>> backend) {
        if (maxBatchSize < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("needs maxBatchSize >= 1 and maxQueued >= 0, got " + maxBatchSize
                    + ", " + maxQueued);
        }
        this.maxBatchSize = maxBatchSize;
        this.maxQueued = maxQueued;
        this.large = large;
        this.small = small;
        this.crossover = crossover;
        this.backend = backend;
    }

    /**
     * Queues every record of {@code request}, or none.
     *
     * @return false when refused: too many records would be left waiting
     */
    boolean submit(PendingRequest request) {
        List<WorkerBatch> ready;
        lock.lock();
        try {
            long wouldWait = Math.max(0, queuedRecords + (long) request.count() - dispatchableNow());
            if (wouldWait > maxQueued) {
                recordsRefused += request.count();
                return false;
            }
            waiting.add(request);
            queuedRecords += request.count();
            ready = takeReady();
        } finally {
            lock.unlock();
        }
        ready.forEach(this::dispatch);
        return true;
    }

    /** Takes every waiting request out of the queue (stopping); their records will not reach a backend. */
    List<PendingRequest> clear() {
        lock.lock();
        try {
            List<PendingRequest> left = new ArrayList<>(waiting);
            waiting.clear();
            queuedRecords = 0;
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Measured again (periodically): later batches are routed by {@code updated}. */
    void route(Crossover updated) {
        crossover = updated;
        List<WorkerBatch> ready;
        lock.lock();
        try {
            ready = takeReady();
        } finally {
            lock.unlock();
        }
        ready.forEach(this::dispatch);
    }

    Crossover crossover() {
        return crossover;
    }

    boolean hybrid() {
        return small != null;
    }

    int maxBatchSize() {
        return maxBatchSize;
    }

    int queuedRecords() {
        lock.lock();
        try {
            return queuedRecords;
        } finally {
            lock.unlock();
        }
    }

    int inFlightBatches() {
        lock.lock();
        try {
            return large.busy + (small == null ? 0 : small.busy);
        } finally {
            lock.unlock();
        }
    }

    long batchesSent() {
        lock.lock();
        try {
            return batchesSent;
        } finally {
            lock.unlock();
        }
    }

    long recordsSent() {
        lock.lock();
        try {
            return recordsSent;
        } finally {
            lock.unlock();
        }
    }

    long recordsRefused() {
        lock.lock();
        try {
            return recordsRefused;
        } finally {
            lock.unlock();
        }
    }

    /** Each lane's backend, slots and totals, and which batch sizes go where. */
    JsonObject routingJson() {
        lock.lock();
        try {
            JsonObject json = new JsonObject().put("hybrid", small != null);
            if (small == null) {
                json.put("batchSizes", new JsonObject().put("1.." + maxBatchSize, large.verifier.describe()));
            } else {
                int size = Math.min(crossover.size(), maxBatchSize + 1);
                JsonObject sizes = new JsonObject();
                if (size > 1) {
                    sizes.put("1.." + (size - 1), small.verifier.describe());
                }
                if (size <= maxBatchSize) {
                    sizes.put(size + ".." + maxBatchSize, large.verifier.describe());
                }
                json.put("batchSizes", sizes).mergeIn(crossover.toJson());
            }
            JsonObject lanes = new JsonObject().put(large.name, laneJson(large));
            if (small != null) {
                lanes.put(small.name, laneJson(small));
            }
            return json.put("lanes", lanes);
        } finally {
            lock.unlock();
        }
    }

    private static JsonObject laneJson(Lane lane) {
        return new JsonObject().put("backend", lane.verifier.describe()).put("slots", lane.slots)
                .put("busy", lane.busy).put("batches", lane.batches).put("events", lane.events);
    }

    /** Caller holds the lock. Records the free slots would take at once: nothing waits while a slot is free. */
    private long dispatchableNow() {
        long free = (long) (large.slots - large.busy) * maxBatchSize;
        if (small != null) {
            free += (long) (small.slots - small.busy) * Math.min(maxBatchSize, Math.max(0, crossover.size() - 1));
        }
        return free;
    }

    /** Caller holds the lock. Cuts batches for lanes with free slots, claiming those slots. */
    private List<WorkerBatch> takeReady() {
        List<WorkerBatch> ready = new ArrayList<>(1);
        while (queuedRecords > 0) {
            Lane lane = small != null && crossover.cpuTakes(queuedRecords) ? small : large;
            if (!lane.hasFreeSlot()) {
                break;
            }
            int size = Math.min(queuedRecords, maxBatchSize);
            WorkerBatch.Builder batch = new WorkerBatch.Builder();
            for (int left = size; left > 0; ) {
                PendingRequest head = waiting.peekFirst();
                int part = Math.min(left, head.untaken());
                batch.add(head, part);
                left -= part;
                if (head.untaken() == 0) {
                    waiting.pollFirst();
                }
            }
            queuedRecords -= size;
            lane.busy++;
            lane.batches++;
            lane.events += size;
            batchesSent++;
            recordsSent += size;
            ready.add(batch.build(lane));
        }
        return ready;
    }

    private void dispatch(WorkerBatch batch) {
        Future<?> result;
        try {
            result = backend.apply(batch);
            if (result == null) {
                result = Future.failedFuture(new IllegalStateException("the backend returned no future"));
            }
        } catch (Throwable thrown) {
            // failing the batch releases its slot; letting this escape would leave the slot taken forever
            result = Future.failedFuture(thrown);
        }
        result.onComplete(outcome -> finish(batch, outcome));
    }

    private void finish(WorkerBatch batch, AsyncResult<?> outcome) {
        List<WorkerBatch> ready;
        lock.lock();
        try {
            batch.lane.busy--;
            ready = takeReady();
        } finally {
            lock.unlock();
        }
        // Start the next batch before answering this one's requests, so the backend is busy again sooner.
        ready.forEach(this::dispatch);
        batch.settle(outcome.failed() ? outcome.cause() : null);
    }
}
