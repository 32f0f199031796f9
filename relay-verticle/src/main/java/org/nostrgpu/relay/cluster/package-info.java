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
 * <h2>Delivery</h2>
 * Publication is fire-and-forget: a node that is down or joins later does not receive what was published
 * meanwhile. Each node is a full replica of what it saw while it was up. Storing is idempotent by id, so an
 * event a client sent to several nodes is stored once on each and fanned out once per node.
 */
package org.nostrgpu.relay.cluster;
