package org.nostrgpu.common.inspect;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.nostrgpu.common.bus.BusTap;
import org.nostrgpu.common.bus.MalformedStatsMessageException;
import org.nostrgpu.common.bus.NodeStats;
import org.nostrgpu.common.bus.StatsProtocol;
import org.nostrgpu.common.bus.StatsRequest;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Answers stats requests on {@link StatsProtocol#STATS_ADDRESS} for one role of this member (a relay, or a
 * worker): the role's {@link StatsSection}, its {@link BusTap}'s counters and, when asked, the samples the tap took.
 * A request it cannot read gets an error reply where it named a usable reply address, and a log line (at most one
 * a minute) otherwise; it never fails the message, so an inspector of another version sees why at once.
 */
public final class StatsResponder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StatsResponder.class.getName());
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Vertx vertx;
    private final String role;
    private final BusTap tap;
    private final Supplier<StatsSection> section;
    private final MemberIdentity identity;
    private final long startedMs = System.currentTimeMillis();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong malformed = new AtomicLong();
    private MessageConsumer<Object> consumer;

    private StatsResponder(Vertx vertx, String role, BusTap.Side side, Supplier<StatsSection> section) {
        this.vertx = vertx;
        this.role = role;
        this.tap = BusTap.install(vertx.eventBus(), side);
        this.section = section;
        this.identity = MemberIdentity.of(vertx);
    }

    /** A relay's responder: its tap watches verification requests going out and accepted events published. */
    public static StatsResponder forRelay(Vertx vertx, Supplier<StatsSection> section) {
        return new StatsResponder(vertx, StatsProtocol.RELAY_ROLE, BusTap.Side.RELAY, section);
    }

    /** A worker's responder: its tap watches verification requests coming in. */
    public static StatsResponder forWorker(Vertx vertx, Supplier<StatsSection> section) {
        return new StatsResponder(vertx, StatsProtocol.WORKER_ROLE, BusTap.Side.WORKER, section);
    }

    /** Starts consuming; completes once the registration has reached the cluster. */
    public Future<Void> start() {
        consumer = vertx.eventBus().consumer(StatsProtocol.STATS_ADDRESS, this::handle);
        return consumer.completion();
    }

    /** Requests this responder could not read since start. */
    public long malformedRequests() {
        return malformed.get();
    }

    @Override
    public void close() {
        tap.close();
        if (consumer != null) {
            consumer.unregister();
        }
    }

    private void handle(Message<Object> message) {
        StatsRequest request;
        try {
            request = StatsRequest.decode(message.body(), message.replyAddress() != null);
        } catch (MalformedStatsMessageException e) {
            refuse(message, e.getMessage());
            return;
        }
        if (request.tail() != null) {
            tap.lease(request.tail());
        }
        String reply = stats(request).encode();
        if (message.replyAddress() != null) {
            message.reply(reply);
        } else {
            vertx.eventBus().send(request.replyTo(), reply);
        }
    }

    private NodeStats stats(StatsRequest request) {
        StatsSection now = section.get();
        Map<String, Double> counters = new LinkedHashMap<>(now.counters());
        counters.putAll(tap.counters());
        counters.put("stats.requests.malformed", (double) malformed.get());
        boolean tailing = request.tail() != null;
        List<io.vertx.core.json.JsonObject> events = tailing && request.tail().events() ? tap.drainEvents() : List.of();
        List<io.vertx.core.json.JsonObject> verify = tailing && request.tail().verify() ? tap.drainVerify() : List.of();
        return new NodeStats(identity.member(), request.round(), role, identity.host(), identity.pid(), startedMs,
                System.currentTimeMillis(), now.info(), counters, now.gauges(), now.histograms(), events, verify);
    }

    private void refuse(Message<Object> message, String problem) {
        malformed.incrementAndGet();
        String error = NodeStats.errorReply(problem);
        String named = StatsRequest.replyAddressOf(message.body());
        if (message.replyAddress() != null) {
            message.reply(error);
        } else if (named != null) {
            vertx.eventBus().send(named, error);
        }
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogNanos.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "refused a stats request on " + StatsProtocol.STATS_ADDRESS + " (" + malformed.get()
                    + " so far): " + problem + (message.replyAddress() != null || named != null
                    ? "; the sender was told" : "; it named no reply address"));
        }
    }
}
