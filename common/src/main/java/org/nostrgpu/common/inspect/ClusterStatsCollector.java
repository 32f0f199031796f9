package org.nostrgpu.common.inspect;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.nostrgpu.common.bus.MalformedStatsMessageException;
import org.nostrgpu.common.bus.NodeStats;
import org.nostrgpu.common.bus.StatsProtocol;
import org.nostrgpu.common.bus.StatsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The asking side of the stats protocol, for {@code inspect} and the {@code /status} pages: consumes its own reply
 * address only (so it takes no work and is never sent a verification request), publishes a request, and gathers
 * the replies that arrive within a window. One round at a time; a reply of an earlier round is ignored.
 */
public final class ClusterStatsCollector implements AutoCloseable {
    private final Vertx vertx;
    private final String replyAddress = StatsProtocol.REPLY_ADDRESS_PREFIX + UUID.randomUUID();
    private final MemberIdentity identity;
    private MessageConsumer<Object> consumer;
    private long round;
    private List<NodeStats> replies = new ArrayList<>();
    private List<String> problems = new ArrayList<>();

    private ClusterStatsCollector(Vertx vertx) {
        this.vertx = vertx;
        this.identity = MemberIdentity.of(vertx);
    }

    /** Registers the reply address; completes once the cluster knows it. */
    public static Future<ClusterStatsCollector> start(Vertx vertx) {
        ClusterStatsCollector collector = new ClusterStatsCollector(vertx);
        collector.consumer = vertx.eventBus().consumer(collector.replyAddress, collector::receive);
        return collector.consumer.completion().map(collector);
    }

    /**
     * Asks every member, waits {@code windowMs} for their replies and returns them.
     *
     * @param tail the samples to ask for, or null
     */
    public Future<ClusterSnapshot> collect(StatsRequest.Tail tail, long windowMs) {
        long started = System.currentTimeMillis();
        long thisRound;
        synchronized (this) {
            thisRound = ++round;
            replies = new ArrayList<>();
            problems = new ArrayList<>();
        }
        vertx.eventBus().publish(StatsProtocol.STATS_ADDRESS, new StatsRequest(replyAddress, thisRound, tail).encode());
        Promise<ClusterSnapshot> done = Promise.promise();
        vertx.setTimer(Math.max(1, windowMs), ignored -> {
            synchronized (this) {
                done.complete(new ClusterSnapshot(started, replies, problems, MemberIdentity.clusterNodes(vertx),
                        identity.member()));
            }
        });
        return done.future();
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.unregister();
        }
    }

    private void receive(Message<Object> message) {
        NodeStats stats;
        try {
            stats = NodeStats.decode(message.body());
        } catch (MalformedStatsMessageException e) {
            synchronized (this) {
                problems.add(e.getMessage());
            }
            return;
        }
        synchronized (this) {
            if (stats.round() == round) {
                replies.add(stats);
            }
        }
    }
}
