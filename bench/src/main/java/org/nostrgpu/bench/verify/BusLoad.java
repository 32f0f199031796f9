package org.nostrgpu.bench.verify;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequestEncoder;
import org.nostrgpu.common.bus.VerifyStatus;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verify requests on the event bus (local or clustered), as a relay's {@code EventBusVerificationClient} sends them:
 * a bounded number outstanding, the next one sent when a reply returns. Every reply is decoded and, where the
 * expected verdicts are known, checked verdict by verdict.
 */
public final class BusLoad {

    /**
     * One prepared request.
     *
     * @param expected the verdict codes its events should get, in order; null when unknown
     */
    public record Request(Buffer body, int count, byte[] expected) {

        /** A request of {@code records [from, from + count)}, expecting {@code reference}'s codes at those indices. */
        public static Request of(SignatureRecords records, int from, int count, byte[] reference) {
            Buffer body = new VerifyRequestEncoder(count).addRecords(records.slice(from, count)).finish();
            byte[] expected = null;
            if (reference != null) {
                expected = new byte[count];
                System.arraycopy(reference, from, expected, 0, count);
            }
            return new Request(body, count, expected);
        }
    }

    /**
     * @param decided    events answered VALID or INVALID in OK replies
     * @param notOk      replies that were not OK (overloaded, device error, timeout, ...)
     * @param undecided  events answered NOT_VERIFIED in OK replies
     * @param mismatches decided events whose verdict differs from the expected one
     */
    public record Totals(long requests, long decided, long notOk, long undecided, long mismatches, double seconds) {
        public double verifiesPerSecond() {
            return decided / seconds;
        }
    }

    /**
     * {@code requests[i % n]} sent {@code inFlight} at a time for {@code seconds}; completes once the last reply
     * is back.
     */
    public static Future<Totals> run(Vertx vertx, List<Request> requests, int inFlight, double seconds) {
        Context client = vertx.getOrCreateContext();
        Promise<Totals> done = Promise.promise();
        client.runOnContext(v -> {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long[] counts = new long[5]; // requests, decided, not OK, undecided, mismatches
            int[] running = {inFlight};
            DeliveryOptions options = new DeliveryOptions().setSendTimeout(60_000);
            for (int loop = 0; loop < inFlight; loop++) {
                send(vertx, requests, loop, inFlight, options, end, counts, () -> {
                    if (--running[0] == 0) {
                        done.complete(new Totals(counts[0], counts[1], counts[2], counts[3], counts[4],
                                (System.nanoTime() - start) / 1e9));
                    }
                });
            }
        });
        return done.future();
    }

    /** {@link #run} and wait. */
    public static Totals runAndWait(Vertx vertx, List<Request> requests, int inFlight, double seconds)
            throws Exception {
        return run(vertx, requests, inFlight, seconds).await((long) (seconds + 120), TimeUnit.SECONDS);
    }

    /** Loop number {@code index} sends requests index, index + stride, ... so the loops send different requests. */
    private static void send(Vertx vertx, List<Request> requests, int index, int stride, DeliveryOptions options,
                             long end, long[] counts, Runnable finished) {
        Request request = requests.get(index % requests.size());
        vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, request.body(), options).onComplete(outcome -> {
            counts[0]++;
            try {
                count(request, outcome.succeeded() ? outcome.result().body() : null, counts);
            } catch (RuntimeException e) {
                counts[2]++; // an undecodable reply: counted as not OK, and the loop goes on
            }
            if (System.nanoTime() < end) {
                send(vertx, requests, index + stride, stride, options, end, counts, finished);
            } else {
                finished.run();
            }
        });
    }

    private static void count(Request request, Object body, long[] counts) {
        VerifyReply reply = body == null ? null : VerifyReply.decode(body, request.count());
        if (reply == null || reply.status() != VerifyStatus.OK) {
            counts[2]++; // a timeout or failure reply: counted, never as verified
            return;
        }
        for (int i = 0; i < reply.count(); i++) {
            Verdict verdict = reply.verdict(i);
            if (verdict == Verdict.NOT_VERIFIED) {
                counts[3]++;
            } else {
                counts[1]++;
                if (request.expected() != null && verdict.code() != request.expected()[i]) {
                    counts[4]++;
                }
            }
        }
    }

    /**
     * Round trips of one request at a time: sent to reply received (the clock stops on the event loop when the reply
     * arrives), after {@code warmup} unmeasured ones. Nanoseconds.
     */
    public static long[] roundTrips(Vertx vertx, List<Request> requests, int warmup, int samples) throws Exception {
        long[] nanos = new long[samples];
        for (int i = -warmup; i < samples; i++) {
            Request request = requests.get(Math.floorMod(i, requests.size()));
            long start = System.nanoTime();
            long[] arrived = new long[1];
            vertx.eventBus().request(VerifyProtocol.VERIFY_ADDRESS, request.body())
                    .map(message -> VerifyReply.decode(message.body(), request.count()))
                    .onSuccess(reply -> arrived[0] = System.nanoTime())
                    .await(30, TimeUnit.SECONDS);
            if (i >= 0) {
                nanos[i] = arrived[0] - start;
            }
        }
        return nanos;
    }

    /** {@code count} consecutive requests of {@code size} events from {@code records}, wrapping around. */
    public static List<Request> requests(SignatureRecords records, byte[] reference, int size, int count) {
        return requests(records, reference, size, count, 0);
    }

    /** As {@link #requests(SignatureRecords, byte[], int, int)}, the first starting at record {@code first}. */
    public static List<Request> requests(SignatureRecords records, byte[] reference, int size, int count, int first) {
        if (size > records.count()) {
            throw new IllegalArgumentException("requests of " + size + " from " + records.count() + " records");
        }
        List<Request> requests = new ArrayList<>(count);
        int from = first % records.count();
        for (int r = 0; r < count; r++) {
            if (from + size > records.count()) {
                from = 0;
            }
            requests.add(Request.of(records, from, size, reference));
            from += size;
        }
        return requests;
    }

    /** The {@code p}-th percentile (0..100) of {@code nanos}, in microseconds. */
    public static double percentileMicros(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000.0;
    }

    private BusLoad() {
    }
}
