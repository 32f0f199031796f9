package org.nostrgpu.relay.cluster;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.relay.live.EventFanOut;

/**
 * The fan-out of a clustered node: an accepted event goes to this node's live subscriptions and is published to
 * the other relay nodes, whose {@link EventReplicator} store it and deliver it to their own subscribers.
 */
public final class ClusterEventPublisher implements EventFanOut {
    /** Message header naming the node that accepted the event; a node ignores its own publications. */
    public static final String ORIGIN_HEADER = "nostr-gpu-origin";

    private final EventFanOut local;
    private final EventBus bus;
    private final DeliveryOptions withOrigin;
    private final ReplicationMetrics metrics;

    public ClusterEventPublisher(EventFanOut local, EventBus bus, String nodeId, ReplicationMetrics metrics) {
        this.local = local;
        this.bus = bus;
        this.withOrigin = new DeliveryOptions().addHeader(ORIGIN_HEADER, nodeId);
        this.metrics = metrics;
    }

    @Override
    public void fanOut(Event event, String eventJson) {
        local.fanOut(event, eventJson);
        bus.publish(VerifyProtocol.ACCEPTED_EVENTS_ADDRESS, eventJson, withOrigin);
        metrics.published();
    }
}
