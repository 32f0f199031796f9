package org.nostrgpu.common.bus;

/**
 * The stats protocol: how an inspector ({@code inspect}, or a node's {@code /status} page) asks every member of
 * the cluster what it is doing. Defined once here, beside {@link VerifyProtocol}; {@link StatsRequest} and
 * {@link NodeStats} are its only encoders and decoders. It is low-rate (one exchange a second per inspector), so
 * its messages are JSON text, versioned like the verification protocol.
 *
 * <h2>Exchange</h2>
 * An inspector registers a consumer on an address of its own under {@link #REPLY_ADDRESS_PREFIX} and publishes a
 * {@link StatsRequest} naming it to {@link #STATS_ADDRESS}; every relay and worker answers with one
 * {@link NodeStats} per role it plays, sent to that address. Members are not told about inspectors: an inspector
 * consumes nothing else, so it takes no work and is never chosen for a verification request. A request may also
 * be sent with {@code eventBus().request}: one member then answers through the message's reply address.
 *
 * <h2>Request (a JSON object in a {@code String} body)</h2>
 * <pre>
 * {"protocol": "nostr-gpu-stats", "version": 1, "round": 7,   the inspector's count, echoed in the replies
 *  "replyTo": "nostr-gpu.stats.reply.&lt;id&gt;",      required unless sent as a request with a reply address
 *  "tail": {"events": true, "kinds": [1], "authors": ["&lt;64 hex&gt;"], "verify": true}}   optional
 * </pre>
 * {@code tail} asks the members to keep samples of accepted events (optionally only these kinds and authors) and
 * of verification requests (size, round-trip time) for {@link #TAIL_LEASE_MS} after each request, and to hand the
 * samples gathered since the previous request in their next reply (at most {@link #MAX_TAIL_ENTRIES} of each).
 *
 * <h2>Reply (a JSON object in a {@code String} body)</h2>
 * <pre>
 * {"protocol": "nostr-gpu-stats", "version": 1, "member": "&lt;cluster node id&gt;", "round": 7, "role": "relay" | "worker",
 *  "host": "...", "pid": 123, "startedMs": ..., "timeMs": ...,
 *  "info": {"name": "text", ...},         what the member runs (backend, why, verification path)
 *  "counters": {"name": number, ...},     totals since start: rates are their differences over time
 *  "gauges": {"name": number, ...},       values now (queue depth, connections)
 *  "histograms": {"name": {"count": n, "sum": s, "max": m, "buckets": {"le": cumulative count, ...}}, ...},
 *  "tail": {"events": [...], "verify": [...]}}
 * </pre>
 * A member that cannot read a request answers, when the request names a usable reply address,
 * {@code {"protocol": ..., "version": 1, "error": "what is wrong"}}; otherwise it logs and drops it. Every name in
 * {@code counters}, {@code gauges} and {@code histograms} is described by {@code inspect --help}.
 *
 * <h2>Versioning</h2>
 * A member answers a request of another version with an error reply naming both versions; an inspector refuses a
 * reply of another version and shows the member as speaking another version.
 */
public final class StatsProtocol {
    /** Publish-subscribe address every relay and worker consumes stats requests on. */
    public static final String STATS_ADDRESS = "nostr-gpu.stats";

    /** Replies go only to addresses under this prefix, so a request can never direct them at a working address. */
    public static final String REPLY_ADDRESS_PREFIX = "nostr-gpu.stats.reply.";

    public static final String PROTOCOL_NAME = "nostr-gpu-stats";

    public static final int FORMAT_VERSION = 1;

    /** How long a member keeps sampling for a tail after the last request that asked for it. */
    public static final long TAIL_LEASE_MS = 5_000;

    /** Most samples of each kind a member keeps between two requests (the oldest are dropped first). */
    public static final int MAX_TAIL_ENTRIES = 200;

    /** Most kinds, and most authors, a tail filter may name. */
    public static final int MAX_TAIL_FILTER_VALUES = 64;

    /** Largest request a member reads. */
    public static final int MAX_REQUEST_CHARS = 16_384;

    public static final String RELAY_ROLE = "relay";
    public static final String WORKER_ROLE = "worker";

    private StatsProtocol() {
    }
}
