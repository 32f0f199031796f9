package org.nostrgpu.bench.inspect;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import org.nostrgpu.common.bus.BusTap;
import org.nostrgpu.common.bus.StatsRequest;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.bus.VerifyRequestEncoder;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.verify.SignatureCheck;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the inspection tap ({@link BusTap}) costs the thread that sends on the event bus: allocated bytes and CPU
 * nanoseconds per message, for verification requests and accepted-event publications, without the tap, with it,
 * and with it while an inspector tails accepted events. Measured on the sending thread with the JDK's per-thread
 * allocation and CPU counters (HotSpot), median of the rounds.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.inspect.BusTapOverhead [MESSAGES] [ROUNDS]</pre>
 */
public final class BusTapOverhead {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int BURST = 1_000;

    private BusTapOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Vertx vertx = Vertx.vertx();
        try {
            EventBus bus = vertx.eventBus();
            AtomicLong received = new AtomicLong();
            bus.consumer(VerifyProtocol.VERIFY_ADDRESS, message -> received.incrementAndGet())
                    .completion().await(10, TimeUnit.SECONDS);
            bus.consumer(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, message -> received.incrementAndGet())
                    .completion().await(10, TimeUnit.SECONDS);
            VerifyRequestEncoder encoder = new VerifyRequestEncoder(16);
            for (int i = 0; i < 16; i++) {
                encoder.add(new SignatureCheck(new byte[32], new byte[32], new byte[64]));
            }
            Buffer request = encoder.finish();
            String event = EventSigner.random().sign(1_700_000_000, 1, List.of(), "an accepted event").toJson();

            System.out.printf("%d messages a round, median of %d rounds, on the sending thread%n", messages, rounds);
            System.out.printf("%-44s %14s %12s%n", "", "bytes/message", "ns/message");
            for (String what : List.of("verify request", "accepted event")) {
                String address = what.equals("verify request") ? VerifyProtocol.VERIFY_ADDRESS
                        : VerifyProtocol.ACCEPTED_EVENTS_ADDRESS;
                Object body = what.equals("verify request") ? request : event;
                row(what + ", no tap", bus, address, body, messages, rounds, received);
                BusTap tap = BusTap.install(bus, BusTap.Side.RELAY);
                row(what + ", tap", bus, address, body, messages, rounds, received);
                if (what.equals("accepted event")) {
                    // an inspector tailing kind 7 only: every publication is parsed, none is kept
                    StatsRequest.Tail tail = new StatsRequest.Tail(true, Set.of(7), Set.of(), false);
                    row(what + ", tap, tail leased (other kinds)", bus, address, body, messages, rounds, received,
                            () -> tap.lease(tail));
                }
                tap.close();
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static void row(String label, EventBus bus, String address, Object body, int messages, int rounds,
                            AtomicLong received) throws InterruptedException {
        row(label, bus, address, body, messages, rounds, received, () -> { });
    }

    private static void row(String label, EventBus bus, String address, Object body, int messages, int rounds,
                            AtomicLong received, Runnable beforeRound) throws InterruptedException {
        long thread = Thread.currentThread().getId();
        double[] bytes = new double[rounds];
        double[] nanos = new double[rounds];
        beforeRound.run();
        send(bus, address, body, messages, received); // warm-up
        for (int round = 0; round < rounds; round++) {
            beforeRound.run();
            long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            send(bus, address, body, messages, received);
            nanos[round] = (double) (THREADS.getCurrentThreadCpuTime() - cpuBefore) / messages;
            bytes[round] = (double) (THREADS.getThreadAllocatedBytes(thread) - allocatedBefore) / messages;
        }
        System.out.printf(Locale.ROOT, "%-44s %14.1f %12.0f%n", label, median(bytes), median(nanos));
    }

    /** Sends in bursts and waits for each burst to be consumed, so the queue (and its memory) stays small. */
    private static void send(EventBus bus, String address, Object body, int messages, AtomicLong received)
            throws InterruptedException {
        for (int sent = 0; sent < messages; sent += BURST) {
            long target = received.get() + BURST;
            for (int i = 0; i < BURST; i++) {
                if (address.equals(VerifyProtocol.VERIFY_ADDRESS)) {
                    bus.send(address, body);
                } else {
                    bus.publish(address, body);
                }
            }
            while (received.get() < target) {
                Thread.onSpinWait();
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
