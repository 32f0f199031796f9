/**
 * The relay as a pipeline, one package per stage. {@link org.nostrgpu.relay.RelayNode} builds the shared
 * stages once and deploys one {@link org.nostrgpu.relay.RelayVerticle} (an HTTP server) per event loop.
 *
 * <pre>
 *  WebSocket frame
 *    └─ connection.ClientConnection      one per socket: size check, rate limit, subscriptions, writes answers
 *         └─ connection.ClientMessageParser   one streaming pass → EVENT | REQ | CLOSE | COUNT, or a Rejection
 *  EVENT
 *    └─ ingest.EventIngester             limits → id → NIP-70 → NIP-40 → duplicate → signature → store → fan-out
 *         ├─ verify.VerificationClient   micro-batched BIP-340 checks off the event loop: EventBusVerificationClient
 *         │                              to verification workers (embedded in this JVM, or the cluster's), falling
 *         │                              back to the CPU or refusing; LocalVerificationClient in mode local
 *         ├─ store.EventStore            group-committed SQLite writes; OK is sent after COMMIT
 *         └─ live.EventFanOut            accepted events to matching live subscriptions on every connection;
 *                                        clustered: cluster.ClusterEventPublisher also publishes them to the
 *                                        other relay nodes, whose cluster.EventReplicator store and fan them out
 *  REQ / COUNT
 *    └─ store.EventStore.query / count   stored events, then EOSE; live events held until EOSE (live.LiveSubscription)
 *  GET / (no upgrade)
 *    └─ info.InfoRequestHandler          NIP-11 document, CORS, a text page for browsers
 *  GET /metrics
 *    └─ Prometheus text: Vert.x, JVM, verification path and fallback counters, replication, embedded worker
 *  every gc-interval
 *    └─ housekeeping.ExpiredEventCollector   NIP-40 removal and WAL checkpoint
 * </pre>
 *
 * <p>Answers a client can see, by cause:
 * <ul>
 *   <li>frame not JSON, not an array, unknown type, bad subscription id in CLOSE, event without a usable id,
 *       binary frame, message over {@code max-message-bytes}: {@code NOTICE "invalid: ..."}, connection kept;</li>
 *   <li>message over twice {@code max-message-bytes}: refused by the WebSocket layer, connection closed
 *       (status 1009 when sent in fragments, otherwise dropped, which clients report as 1006);</li>
 *   <li>REQ/COUNT with a bad filter, too many filters, no filter, empty or over-64-character id:
 *       {@code CLOSED "invalid: ..."}; a REQ past {@code max-subscriptions-per-connection}:
 *       {@code CLOSED "rate-limited: ..."} (re-using an open id replaces it and is not a new subscription);</li>
 *   <li>EVENT: {@code OK} with four elements, always: {@code true ""} stored (or ephemeral and fanned out),
 *       {@code true "duplicate: ..."} already stored, deleted, or an older replaceable/addressable version,
 *       {@code false "invalid: ..."} structure, limits, id, expired or bad signature,
 *       {@code false "restricted: ..."} NIP-70, {@code false "blocked: ..."} an address version deleted by its
 *       author, {@code false "rate-limited: ..."} over the connection's EVENT rate,
 *       {@code false "error: ..."} overload, a storage failure, or no verification available (fallback
 *       {@code reject} while no worker answers);</li>
 *   <li>a client that stops reading while its unsent output passes 32 maximum-size messages:
 *       {@code CLOSED "error: ..."} for each live subscription that had an event to deliver.</li>
 * </ul>
 */
package org.nostrgpu.relay;
