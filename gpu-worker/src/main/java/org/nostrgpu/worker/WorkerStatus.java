package org.nostrgpu.worker;

import io.vertx.core.json.JsonObject;

/**
 * What {@code GET /health} reports: whether the worker takes requests, which backend verifies and why that one,
 * which batch sizes go to which backend, and how full it is.
 *
 * @param status          {@code UP} while consuming requests, {@code STOPPING} once undeploying
 * @param backend         the verifier's own description, e.g. "cpu(2 threads)"
 * @param reason          why this backend was chosen, e.g. "no CUDA driver: …"
 * @param cuda            whether the backend is the GPU
 * @param device          the GPU's summary, or null on the CPU
 * @param keyCache        the GPU kernel's key cache, e.g. "65536 entries of 656 bytes (41 MiB)"; null on the CPU
 * @param routing         lanes, the batch sizes each takes, the measured crossover and its probe
 * @param queueDepth      signatures waiting for a backend call
 * @param inFlightBatches backend calls running
 * @param pendingRequests requests received and not yet answered
 * @param batches         backend calls since start
 * @param eventsBatched   signatures handed to the backend since start
 * @param eventsRefused   signatures answered OVERLOADED since start
 */
public record WorkerStatus(String status, String backend, String reason, boolean cuda, String device, String keyCache,
                           JsonObject routing, int maxBatchSize, int maxInFlightBatches, int maxQueuedEvents,
                           int queueDepth, int inFlightBatches, int pendingRequests,
                           long batches, long eventsBatched, long eventsRefused) {
    public static final String UP = "UP";
    public static final String STOPPING = "STOPPING";

    public boolean up() {
        return UP.equals(status);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("status", status)
                .put("backend", backend)
                .put("reason", reason)
                .put("cuda", cuda)
                .put("device", device)
                .put("keyCache", keyCache)
                .put("routing", routing)
                .put("maxBatchSize", maxBatchSize)
                .put("maxInFlightBatches", maxInFlightBatches)
                .put("maxQueuedEvents", maxQueuedEvents)
                .put("queueDepth", queueDepth)
                .put("inFlightBatches", inFlightBatches)
                .put("pendingRequests", pendingRequests)
                .put("batches", batches)
                .put("eventsBatched", eventsBatched)
                .put("eventsRefused", eventsRefused);
    }
}
