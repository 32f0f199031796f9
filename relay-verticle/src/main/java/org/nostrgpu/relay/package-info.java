/**
 * The relay as a pipeline, one package per stage. {@link org.nostrgpu.relay.RelayNode} builds the shared
 * stages once and deploys one {@link org.nostrgpu.relay.RelayVerticle} (an HTTP server) per event loop.
 *
 * <pre>
 *  WebSocket frame
 *    └─ connection.HttpConnectionGuard   per TCP connection: per-address cap, time to a complete HTTP request
 *    └─ connection.ClientConnection      one per socket: frames (UTF-8, size), rates, pending-event quota,
 *                                        subscriptions, answers within the outbound bound, pings and idle timeout
 *         └─ connection.ClientMessageParser   one streaming pass → EVENT | REQ | CLOSE | COUNT, or a Rejection
 *  AUTH
 *    └─ connection.ConnectionAuth        challenge, kind 22242 claims; id and signature on the verification path
 *  EVENT
 *    └─ ingest.EventIngester             limits → id → policy/PoW → NIP-42/70 → NIP-40 → duplicate → signature →
 *                                        store → fan-out
 *         ├─ verify.VerificationClient   micro-batched BIP-340 checks off the event loop: EventBusVerificationClient
 *         │                              to verification workers (embedded in this JVM, or the cluster's), falling
 *         │                              back to the CPU or refusing; LocalVerificationClient in mode local
 *         ├─ store.EventStore            group-committed SQLite writes; OK is sent after COMMIT
 *         └─ live.EventFanOut            accepted events to matching live subscriptions on every connection;
 *                                        clustered: cluster.ClusterEventPublisher also publishes them to the
 *                                        other relay nodes, whose cluster.EventReplicator store and fan them out
 *  REQ / COUNT
 *    └─ connection.FairQueries           per connection, then per node round-robin by address; store.QueryBudget
 *                                        interrupts a statement past query-budget-ms
 *    └─ store.EventStore.query / count   stored events, then EOSE; live events held until EOSE (live.LiveSubscription)
 *  NEG-OPEN / NEG-MSG / NEG-CLOSE
 *    └─ sync.NegentropySessions          NEG-OPEN's items in the same turn as REQs (connection.FairQueries), read by
 *                                        store.EventStore.negentropyItems within negentropy-budget-ms
 *  GET / (no upgrade)
 *    └─ info.InfoRequestHandler          NIP-11 document, CORS, a text page for browsers
 *  GET /metrics
 *    └─ Prometheus text: Vert.x, JVM, verification path and fallback counters, replication, embedded worker
 *  every gc-interval
 *    └─ housekeeping.ExpiredEventCollector   NIP-40 removal and WAL checkpoint
 * </pre>
 *
 * <p>Answers a client can see, by cause. The prefixes and the fixed messages are owned by
 * {@link org.nostrgpu.common.answer.AnswerPrefix} and {@link org.nostrgpu.common.answer.Answer}; a test keeps this list
 * and the README's equal to them. {@code "invalid: ..."} stands for a message naming what was wrong.
 * <ul>
 *   <li>frame not JSON, nested too deeply, not an array, unknown type, bad subscription id in CLOSE, event without
 *       a usable id, message over {@code max-message-bytes}: {@code NOTICE "invalid: ..."}; a binary frame:
 *       {@code NOTICE "invalid: binary messages are not supported, send JSON text"}; the connection is kept;</li>
 *   <li>a message over twice {@code max-message-bytes}: the connection is closed with status 1009 (message too
 *       big) as it arrives; a text message that is not valid UTF-8: closed with 1007 (frames over eight times
 *       {@code max-message-bytes} are refused by the WebSocket decoder, which drops the connection after the
 *       1009);</li>
 *   <li>more connections from one address than {@code max-connections-per-ip}: closed when accepted; no complete
 *       HTTP request within {@code upgrade-timeout-seconds}: closed; nothing heard for two
 *       {@code ping-interval-seconds}: closed with 1001; no subscription and no message for
 *       {@code idle-timeout-seconds}: closed with 1000;</li>
 *   <li>REQ/COUNT with a bad filter, too many filters, more than {@code max-values-per-filter} ids, authors or
 *       values of one tag in a filter, no filter, empty or over-64-character id: {@code CLOSED "invalid: ..."}; a REQ past {@code max-subscriptions-per-connection}, or REQ/COUNT over the
 *       connection's or the address's REQ rate: {@code CLOSED "rate-limited: ..."} (re-using an open id replaces
 *       it and is not a new subscription);
 *       a failed query: {@code CLOSED "error: could not query stored events"} or, for COUNT,
 *       {@code CLOSED "error: could not count events"}; a REQ or COUNT whose query runs past
 *       {@code query-budget-ms}: {@code CLOSED "error: the query ran past the relay's time budget; narrow the
 *       filters"};</li>
 *   <li>EVENT: {@code OK} with four elements, always, sent only after the SQLite commit:
 *     <ul>
 *       <li>{@code true ""}: stored (or ephemeral and fanned out);</li>
 *       <li>{@code true "duplicate: already have this event"}: already stored, or deleted;</li>
 *       <li>{@code true "duplicate: a newer version of this replaceable event is stored"}: an older
 *           replaceable/addressable version;</li>
 *       <li>{@code false "invalid: ..."}: structure or a limit ({@code max-tags}, {@code max-content-bytes},
 *           the {@code created_at} window);</li>
 *       <li>{@code false "invalid: event id does not match"}, {@code false "invalid: event has expired"} (NIP-40),
 *           {@code false "invalid: bad signature"};</li>
 *       <li>NIP-70 protected events: {@code false "auth-required: a protected event (NIP-70) is accepted only from its
 *           author; authenticate (NIP-42) as the author"} before AUTH; {@code false "restricted: a protected event
 *           (NIP-70) is accepted only from its author, and this connection authenticated as another"};
 *           {@code false "restricted: protected events (NIP-70) are accepted only from their authenticated author, and
 *           this relay has NIP-42 off"};</li>
 *       <li>{@code false "auth-required: this relay accepts events only from authenticated clients (NIP-42)"} with
 *           {@code auth.required-for-writes};</li>
 *       <li>{@code false "invalid: auth events (kind 22242) are sent with AUTH, never published"};</li>
 *       <li>the operator's write policy: {@code false "blocked: ..."} (an author or kind it does not accept);
 *           {@code false "pow: ..."} (NIP-13: fewer leading zero bits in the id, or a lower committed target, than
 *           {@code write-policy.min-pow-difficulty});</li>
 *       <li>{@code false "blocked: this event was deleted by its author"}: a version of an address its author
 *           deleted;</li>
 *       <li>{@code false "rate-limited: ..."}: over the connection's or the address's EVENT rate;</li>
 *       <li>{@code false "error: relay overloaded, try again later"}: too many events waiting for verification
 *           or storage;</li>
 *       <li>{@code false "error: signature verification unavailable, try again later"}: no verification available
 *           (fallback {@code reject} while no worker answers);</li>
 *       <li>{@code false "error: could not store the event"}: a storage failure;</li>
 *       <li>{@code false "error: internal error while processing the event"}: a bug, logged;</li>
 *     </ul></li>
 *   <li>AUTH (NIP-42; a challenge {@code ["AUTH","<challenge>"]} is sent when a connection opens):
 *       {@code OK true ""} authenticated; {@code OK false "invalid: ..."} wrong kind, challenge, relay tag or
 *       created_at, id mismatch, bad signature; {@code OK false "error: ..."} verification unavailable;
 *       {@code OK false "rate-limited: ..."} over the EVENT rate (an AUTH costs a signature check);
 *       {@code OK false "restricted: this relay does not authenticate clients (NIP-42 is off)"}; with
 *       {@code auth.required-for-reads}, REQ and COUNT before AUTH:
 *       {@code CLOSED "auth-required: this relay serves only authenticated clients (NIP-42)"};</li>
 *   <li>a client whose unsent output (stored events, live events, OK, COUNT, NOTICE) would pass
 *       {@code max-outbound-bytes-per-connection}: {@code NOTICE "error: this connection is not reading fast enough;
 *       disconnecting it"}, then the connection is closed with status 1008; a subscription that receives more than
 *       10 000 live events while its stored events load:
 *       {@code CLOSED "error: too many new events while stored events were loading, subscribe again"}.</li>
 * </ul>
 */
package org.nostrgpu.relay;
