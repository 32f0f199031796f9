package org.nostrgpu.worker;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequestEncoder;
import org.nostrgpu.common.config.WorkerConfig;
import org.nostrgpu.common.metrics.PrometheusMetrics;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.worker.BackendSelection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Deploys a worker on a given backend and plays the relays' side of the protocol. */
final class WorkerHarness {
    static final long TIMEOUT_SECONDS = 20;

    final Vertx vertx;
    final PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
    VerificationWorkerVerticle worker;
    String deploymentId;

    WorkerHarness(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Worker settings for tests: no health server unless a port is given. */
    static WorkerConfig config(int maxBatchSize, int maxInFlight, int maxQueued) {
        return WorkerConfig.defaults().withBackend("cpu").withCpuThreads(1).withMaxBatchSize(maxBatchSize)
                .withMaxInFlightBatches(maxInFlight).withMaxQueuedEvents(maxQueued).withHealthHost("127.0.0.1")
                .withHealthPort(0).withCrossoverRecheckSeconds(0);
    }

    VerificationWorkerVerticle deploy(WorkerConfig config, SignatureVerifier backend) throws Exception {
        return deploy(new VerificationWorkerVerticle(config, registry,
                () -> new BackendSelection(backend, "chosen by the test", null)));
    }

    VerificationWorkerVerticle deploy(VerificationWorkerVerticle verticle) throws Exception {
        worker = verticle;
        deploymentId = vertx.deployVerticle(verticle).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return verticle;
    }

    static Buffer request(List<SignatureCheck> checks) {
        VerifyRequestEncoder encoder = new VerifyRequestEncoder(checks.size());
        checks.forEach(encoder::add);
        return encoder.finish();
    }

    /** {@code count} scripted checks labelled {@code name/0..}, verdicts cycling through {@code pattern}. */
    static List<SignatureCheck> checks(String name, int count, Verdict... pattern) {
        List<SignatureCheck> checks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            checks.add(ScriptedVerifier.check(name, i, pattern[i % pattern.length]));
        }
        return checks;
    }

    static List<String> labels(String name, int count) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            labels.add(name + "/" + i);
        }
        return labels;
    }

    Future<Message<Object>> send(Object body) {
        return vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, body,
                new DeliveryOptions().setSendTimeout(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
    }

    static VerifyReply await(Future<Message<Object>> reply, int requestCount) throws Exception {
        return VerifyReply.decode(reply.await(TIMEOUT_SECONDS, TimeUnit.SECONDS).body(), requestCount);
    }

    static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(2);
        }
    }
}
