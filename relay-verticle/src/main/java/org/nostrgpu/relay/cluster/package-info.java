/**
 * Replication between the relay nodes of a cluster, so a subscriber on any node receives an event published on
 * any other and every node stores it in its own SQLite.
 *
 * <pre>
 *  node A: ingest accepts an event (stored as new, or ephemeral)
 *    └─ ClusterEventPublisher (the node's EventFanOut)
 *         ├─ live.SubscriptionRegistry        A's own subscribers
 *         └─ publish on VerifyProtocol.ACCEPTED_EVENTS_ADDRESS: canonical JSON, header "nostr-gpu-origin" = A's id
 *  node B: EventReplicator (consumer of that address; ignores its own publications)
 *    └─ parse → id check → store.EventStore.store (idempotent by id) → B's SubscriptionRegistry when stored as new
 *       (ephemeral events: fanned out, never stored)
 * </pre>
 *
 * <h2>Trust boundary</h2>
 * A node does not verify the signature of a replicated event again: the origin node verified it before accepting
 * it, and only cluster members can publish on the event bus. The cluster's network (Hazelcast and event-bus ports)
 * must therefore be reachable by cluster members only. The receiving node still parses the event strictly and
 * recomputes its id, so a corrupted message is dropped (and counted) rather than stored.
 *
 * <h2>Delivery and catch-up</h2>
 * Publication is fire-and-forget: a node that is down, partitioned away or new does not receive what was published
 * meanwhile. {@link org.nostrgpu.relay.cluster.ClusterCatchUp} closes that gap: a node that starts reconciles its
 * stored events with a peer's (negentropy over the event bus, {@link org.nostrgpu.common.bus.CatchUpProtocol})
 * after live replication is consuming and before it listens for clients, then fetches what only the peer has and
 * sends what only it has; it runs again whenever another member joins (a restart elsewhere, or the two sides of a
 * healed partition meeting again). Events received this way are stored like replicated ones, through
 * {@code EventReplicator.accept}: id recomputed, signature not verified again. Storing is idempotent by id, so an
 * event a client sent to several nodes, or that arrives both live and by catch-up, is stored once on each.
 *
 * <pre>
 *  node B starts: replicator consuming → CatchUp (initiator) ──open/message──▶ CatchUpResponder on node A
 *                 ◀── answers: which ids only A has, which only B has ──┘
 *                 fetch(ids) → EventReplicator.accept each │ store(events only B had) → A's EventReplicator.accept
 *                 → CatchUpResponder registered on B, clients served
 * </pre>
 */
package org.nostrgpu.relay.cluster;
