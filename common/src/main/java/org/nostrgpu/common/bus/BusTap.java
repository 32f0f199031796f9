package org.nostrgpu.common.bus;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.verify.SignatureRecords;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Watches what one role of a member sends and receives on the event bus, through Vert.x's outbound and inbound
 * interceptors, so neither the relay's nor the worker's code is touched: it counts the protocol messages and, for
 * {@link StatsProtocol#TAIL_LEASE_MS} after an inspector asked for a tail, samples accepted events and
 * verification round trips.
 *
 * <p>Cost when nobody tails: one address comparison and one {@link LongAdder} increment per protocol message, no
 * allocation ({@code bench/…/BusTapOverhead} measures it). Sampling allocates, and only while a tail is leased.
 *
 * <p>A relay's tap sees its verification requests go out (with the number of events in each, from the buffer's
 * length), their replies come in, and the accepted events it publishes; a worker's tap sees verification requests
 * come in.
 */
public final class BusTap implements AutoCloseable {
    /** Which side of the verification protocol this tap watches. */
    public enum Side { RELAY, WORKER }

    /** A round trip is forgotten after this many unanswered requests (timeouts): bounded memory while tailing. */
    private static final int MAX_OPEN_ROUND_TRIPS = 4_096;

    private final EventBus bus;
    private final Side side;
    private final Handler<DeliveryContext<Object>> outbound = this::outbound;
    private final Handler<DeliveryContext<Object>> inbound = this::inbound;
    private final LongAdder verifyRequests = new LongAdder();
    private final LongAdder verifyEvents = new LongAdder();
    private final LongAdder eventsPublished = new LongAdder();
    private final Map<String, long[]> openRoundTrips = new ConcurrentHashMap<>();
    private final ArrayDeque<JsonObject> sampledEvents = new ArrayDeque<>();
    private final ArrayDeque<JsonObject> sampledVerify = new ArrayDeque<>();
    private volatile StatsRequest.Tail tail;
    private volatile long tailUntilNanos;

    private BusTap(EventBus bus, Side side) {
        this.bus = bus;
        this.side = side;
    }

    /** Installs the interceptors; {@link #close()} removes them. */
    public static BusTap install(EventBus bus, Side side) {
        BusTap tap = new BusTap(bus, side);
        bus.addOutboundInterceptor(tap.outbound);
        bus.addInboundInterceptor(tap.inbound);
        return tap;
    }

    /** Starts or renews sampling as {@code wanted} asks, for {@link StatsProtocol#TAIL_LEASE_MS}. */
    public void lease(StatsRequest.Tail wanted) {
        tail = wanted;
        tailUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(StatsProtocol.TAIL_LEASE_MS);
    }

    /** The counters of this side, named as {@code inspect --help} describes them. */
    public Map<String, Double> counters() {
        Map<String, Double> counters = new LinkedHashMap<>();
        if (side == Side.RELAY) {
            counters.put("bus.verify.requests.out", (double) verifyRequests.sum());
            counters.put("bus.verify.events.out", (double) verifyEvents.sum());
            counters.put("bus.events.published.out", (double) eventsPublished.sum());
        } else {
            counters.put("bus.verify.requests.in", (double) verifyRequests.sum());
            counters.put("bus.verify.events.in", (double) verifyEvents.sum());
        }
        return counters;
    }

    /** The accepted events sampled since the last call, oldest first. */
    public List<JsonObject> drainEvents() {
        return drain(sampledEvents);
    }

    /** The verification round trips sampled since the last call, oldest first. */
    public List<JsonObject> drainVerify() {
        return drain(sampledVerify);
    }

    @Override
    public void close() {
        bus.removeOutboundInterceptor(outbound);
        bus.removeInboundInterceptor(inbound);
        openRoundTrips.clear();
    }

    private void outbound(DeliveryContext<Object> context) {
        try {
            if (side == Side.RELAY) {
                String address = context.message().address();
                if (VerifyProtocol.VERIFY_ADDRESS.equals(address)) {
                    int events = eventsIn(context.body());
                    verifyRequests.increment();
                    verifyEvents.add(events);
                    StatsRequest.Tail leased = leasedTail();
                    if (leased != null && leased.verify()) {
                        openRoundTrip(context.message(), events);
                    }
                } else if (VerifyProtocol.ACCEPTED_EVENTS_ADDRESS.equals(address)) {
                    eventsPublished.increment();
                    StatsRequest.Tail leased = leasedTail();
                    if (leased != null && leased.events()) {
                        sampleEvent(context.body(), leased);
                    }
                }
            }
        } finally {
            context.next();
        }
    }

    private void inbound(DeliveryContext<Object> context) {
        try {
            if (side == Side.WORKER) {
                if (VerifyProtocol.VERIFY_ADDRESS.equals(context.message().address())) {
                    verifyRequests.increment();
                    // the message's body, not the context's: a clustered message is decoded there, once, and the
                    // consumer gets the same decoded buffer
                    verifyEvents.add(eventsIn(context.message().body()));
                }
            } else if (!openRoundTrips.isEmpty()) {
                long[] opened = openRoundTrips.remove(context.message().address());
                if (opened != null) {
                    closeRoundTrip(opened, context.message().body());
                }
            }
        } finally {
            context.next();
        }
    }

    private StatsRequest.Tail leasedTail() {
        StatsRequest.Tail leased = tail;
        if (leased != null && System.nanoTime() - tailUntilNanos > 0) {
            tail = null;
            openRoundTrips.clear();
            return null;
        }
        return leased;
    }

    /** From the buffer's length (header and fixed-size records): reading the body would cost nothing more. */
    private static int eventsIn(Object body) {
        if (body instanceof Buffer buffer && buffer.length() >= VerifyProtocol.HEADER_BYTES) {
            return (buffer.length() - VerifyProtocol.HEADER_BYTES) / SignatureRecords.RECORD_BYTES;
        }
        return 0;
    }

    private void openRoundTrip(Message<Object> message, int events) {
        String replyAddress = message.replyAddress();
        if (replyAddress != null && openRoundTrips.size() < MAX_OPEN_ROUND_TRIPS) {
            openRoundTrips.put(replyAddress, new long[] {System.nanoTime(), events, System.currentTimeMillis()});
        }
    }

    private void closeRoundTrip(long[] opened, Object replyBody) {
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - opened[0]);
        String status;
        try {
            status = VerifyReply.decode(replyBody).status().name();
        } catch (RuntimeException e) {
            status = "unreadable reply";
        }
        add(sampledVerify, new JsonObject().put("timeMs", opened[2]).put("events", opened[1])
                .put("roundTripMicros", micros).put("status", status));
    }

    private void sampleEvent(Object body, StatsRequest.Tail leased) {
        if (!(body instanceof String json)) {
            return;
        }
        try {
            JsonObject event = new JsonObject(json);
            Integer kind = event.getInteger("kind");
            String author = event.getString("pubkey");
            if (kind == null || author == null || !leased.wants(kind, author)) {
                return;
            }
            String content = event.getString("content", "");
            add(sampledEvents, new JsonObject().put("timeMs", System.currentTimeMillis()).put("id", event.getString("id"))
                    .put("kind", kind).put("author", author).put("createdAt", event.getLong("created_at"))
                    .put("bytes", json.length())
                    .put("content", content.length() > 80 ? content.substring(0, 80) + "…" : content));
        } catch (RuntimeException e) {
            // not an event: the replicating nodes drop and count it; the tail simply does not show it
        }
    }

    private static void add(ArrayDeque<JsonObject> samples, JsonObject sample) {
        synchronized (samples) {
            if (samples.size() == StatsProtocol.MAX_TAIL_ENTRIES) {
                samples.removeFirst();
            }
            samples.addLast(sample);
        }
    }

    private static List<JsonObject> drain(ArrayDeque<JsonObject> samples) {
        synchronized (samples) {
            List<JsonObject> drained = new ArrayList<>(samples);
            samples.clear();
            return drained;
        }
    }
}
