package org.nostrgpu.bench.verify;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureCorpus;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load driver of the benchmarks against a real worker on the CPU: every verdict counted and checked. */
class BusLoadTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void manySmallRequestsInFlightAreAllAnsweredAndCheckedAndARoundTripIsTimed() throws Exception {
        SignatureRecords records = SignatureRecords.of(new SignatureCorpus(4).mixed(300));
        byte[] reference;
        try (CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(1)) {
            reference = cpu.verify(records);
        }
        VerificationWorkerVerticle worker = new VerificationWorkerVerticle(WorkerConfig.defaults().withBackend("cpu")
                .withCpuThreads(2).withHealthPort(0), PrometheusMetrics.newRegistry());
        vertx.deployVerticle(worker).await(30, TimeUnit.SECONDS);

        for (int size : new int[]{1, 7, 300}) {
            List<BusLoad.Request> requests = BusLoad.requests(records, reference, size, 64, 5);
            BusLoad.Totals totals = BusLoad.runAndWait(vertx, requests, 32, 0.2);
            assertTrue(totals.requests() >= 32, "every loop sent at least once: " + totals);
            assertEquals(totals.requests() * size, totals.decided(), "every event decided: " + totals);
            assertEquals(0, totals.mismatches());
            assertEquals(0, totals.notOk());
        }
        byte[] wrong = reference.clone();
        wrong[5] = (byte) (3 - wrong[5]);
        BusLoad.Totals checked = BusLoad.runAndWait(vertx, BusLoad.requests(records, wrong, 1, 1, 5), 1, 0.05);
        assertEquals(checked.requests(), checked.mismatches(), "a verdict other than expected is counted");

        long[] trips = BusLoad.roundTrips(vertx, BusLoad.requests(records, reference, 1, 10), 5, 20);
        assertEquals(20, trips.length);
        assertTrue(BusLoad.percentileMicros(trips, 50) > 0);
    }
}
