package org.nostrgpu.common.bus;

import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

/**
 * The signature-verification protocol between relay nodes and verification workers over the Vert.x event bus,
 * local or clustered. Defined once here; {@link VerifyRequestEncoder}, {@link VerifyRequest} and
 * {@link VerifyReply} are its only encoders and decoders.
 *
 * <h2>Exchange</h2>
 * A relay sends one request with {@code eventBus().request(VERIFY_ADDRESS, buffer)}; one worker (Vert.x picks
 * one consumer per message, round-robin when several are registered cluster-wide) answers with one reply.
 * Every reply is a {@link VerifyReply} buffer, failures included: the worker never uses {@code message.fail},
 * so a relay sees an event-bus failure only when no worker is registered ({@code NO_HANDLERS}) or none answered
 * in time ({@code TIMEOUT}). For failure replies the worker may add a human-readable explanation in the
 * {@link #DETAIL_HEADER} message header, for logs only.
 *
 * <h2>Request layout (one {@code Buffer}, big-endian)</h2>
 * <pre>
 * offset 0  2 bytes  magic 'N' 'V'
 * offset 2  1 byte   format version ({@link #FORMAT_VERSION})
 * offset 3  1 byte   reserved, 0
 * offset 4  4 bytes  count: events in this request, 1 .. {@link #MAX_EVENTS_PER_REQUEST}
 * offset 8  count records of {@link SignatureRecords#RECORD_BYTES} (128) bytes, back to back, in the
 *           {@link SignatureRecords} layout: id (32: the BIP-340 message) | x-only public key (32) | signature r||s (64)
 * </pre>
 * The buffer is exactly {@code 8 + 128 * count} bytes. {@link SignatureRecords} is the layout every verifier reads,
 * the CUDA kernel included: a worker views a request's records where they arrived ({@link VerifyRequest#records()})
 * and copies them as one block into its pinned upload buffer.
 *
 * <h2>Reply layout (one {@code Buffer}, big-endian)</h2>
 * <pre>
 * offset 0  2 bytes  magic 'N' 'R'
 * offset 2  1 byte   format version ({@link #FORMAT_VERSION})
 * offset 3  1 byte   status of the whole reply ({@link VerifyStatus#code()})
 * offset 4  4 bytes  count
 * offset 8  count verdict bytes, in request order: {@link Verdict#code()}, 0 = NOT_VERIFIED, 1 = VALID, 2 = INVALID
 * </pre>
 * The verdict bytes are the codes the verifiers write (the CUDA kernel included), so a worker's reply is the
 * header followed by the verdict bytes its backend wrote ({@link VerifyReplyEncoder}).
 * <ul>
 *   <li>{@link VerifyStatus#OK}: count equals the request's count; each verdict is that event's own. An
 *       {@code OK} reply may still carry NOT_VERIFIED verdicts (a backend that could not decide an event):
 *       the relay falls back for those events only.</li>
 *   <li>{@link VerifyStatus#OVERLOADED}, {@link VerifyStatus#DEVICE_ERROR}, {@link VerifyStatus#SHUTTING_DOWN}:
 *       count equals the request's count and every verdict is NOT_VERIFIED; the relay falls back for all.</li>
 *   <li>{@link VerifyStatus#MALFORMED_REQUEST}: count is 0 (the worker could not trust the request's count).
 *       A relay receiving this has a bug or speaks another format version.</li>
 * </ul>
 * A decoder refuses any other combination with {@link MalformedVerifyMessageException}.
 *
 * <h2>Versioning</h2>
 * A worker answers a request whose version it does not speak with {@code MALFORMED_REQUEST} and a detail naming
 * both versions; a relay refuses a reply of another version. The addresses do not carry the version, so mixed
 * versions fail loudly instead of waiting for a timeout.
 */
public final class VerifyProtocol {
    /** Point-to-point address the verification workers consume; relays send requests here. */
    public static final String VERIFY_ADDRESS = "nostr-gpu.verify";

    /**
     * Publish-subscribe address on which a relay node announces every event it accepted, so the other nodes
     * can store it and fan it out to their subscribers. The message body is for the relay side to define.
     */
    public static final String ACCEPTED_EVENTS_ADDRESS = "nostr-gpu.events.accepted";

    /** Message header carrying a human-readable reason on failure replies; absent on {@code OK}. */
    public static final String DETAIL_HEADER = "nostr-gpu-detail";

    public static final byte FORMAT_VERSION = 1;

    /** Most events in one request; a worker answers {@code MALFORMED_REQUEST} beyond. */
    public static final int MAX_EVENTS_PER_REQUEST = 65_536;

    public static final int HEADER_BYTES = 8;

    static final byte MAGIC_0 = 'N';
    static final byte REQUEST_MAGIC_1 = 'V';
    static final byte REPLY_MAGIC_1 = 'R';
    static final int VERSION_OFFSET = 2;
    static final int FLAGS_OFFSET = 3;
    static final int COUNT_OFFSET = 4;

    /** Exact size of a request of {@code count} events. */
    public static int requestBytes(int count) {
        return HEADER_BYTES + SignatureRecords.RECORD_BYTES * count;
    }

    private VerifyProtocol() {
    }
}
