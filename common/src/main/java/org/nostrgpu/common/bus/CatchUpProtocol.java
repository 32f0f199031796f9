package org.nostrgpu.common.bus;

/**
 * Cluster catch-up between relay nodes over the event bus: a node that starts, or sees another member join, runs
 * negentropy (the NIP-77 codec of {@code org.nostrgpu.common.negentropy}) with a peer over its stored events, then
 * the two exchange only the events one of them lacks. Defined once here; the relay side implements both ends.
 *
 * <h2>Exchange (every message a request with one reply; bodies are Buffers)</h2>
 * <ol>
 *   <li>{@link #OPEN_ADDRESS} (point-to-point: Vert.x picks one registered node): body = the initiator's first
 *       negentropy message; headers {@link #ORIGIN_HEADER} (initiator's node id) and {@link #SESSION_HEADER}.
 *       Reply: body = the answer, header {@link #ORIGIN_HEADER} = the answering node, whose own address
 *       ({@link #nodeAddress}) takes the rest of the session. A node asked by itself fails the request with
 *       {@link #SELF_FAILURE}; the initiator asks again and Vert.x's round robin moves to another node.</li>
 *   <li>{@link #nodeAddress} with {@link #OP_HEADER}:
 *     <ul>
 *       <li>{@link #OP_MESSAGE}: body = the next negentropy message; reply = the answer.</li>
 *       <li>{@link #OP_FETCH}: body = 32-byte ids back to back; reply = those of the events the node stores, as
 *           canonical JSON, one per line.</li>
 *       <li>{@link #OP_STORE}: body = events as canonical JSON, one per line; the node stores them (trusted as
 *           replicated events are, see the cluster package) and replies with the number it stored as new.</li>
 *       <li>{@link #OP_CLOSE}: the session is over; empty reply.</li>
 *     </ul></li>
 * </ol>
 * A request the node cannot serve is failed with {@link #ERROR_FAILURE} and a message naming why.
 */
public final class CatchUpProtocol {
    public static final String OPEN_ADDRESS = "nostr-gpu.catch-up";
    public static final String ORIGIN_HEADER = "nostr-gpu-origin";
    public static final String SESSION_HEADER = "nostr-gpu-session";
    public static final String OP_HEADER = "nostr-gpu-op";
    public static final String OP_MESSAGE = "message";
    public static final String OP_FETCH = "fetch";
    public static final String OP_STORE = "store";
    public static final String OP_CLOSE = "close";
    /** Failure code: the open request reached the node that sent it. */
    public static final int SELF_FAILURE = 1;
    /** Failure code: the node could not serve the request (unknown session, storage error, bad message). */
    public static final int ERROR_FAILURE = 2;

    private CatchUpProtocol() {
    }

    /** Where one node takes the rest of its catch-up sessions. */
    public static String nodeAddress(String nodeId) {
        return OPEN_ADDRESS + "." + nodeId;
    }
}
