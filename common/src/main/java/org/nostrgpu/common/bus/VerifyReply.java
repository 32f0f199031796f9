package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.nostrgpu.common.bus.VerifyProtocol.COUNT_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.FLAGS_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.HEADER_BYTES;
import static org.nostrgpu.common.bus.VerifyProtocol.MAGIC_0;
import static org.nostrgpu.common.bus.VerifyProtocol.MAX_EVENTS_PER_REQUEST;
import static org.nostrgpu.common.bus.VerifyProtocol.REPLY_MAGIC_1;
import static org.nostrgpu.common.bus.VerifyProtocol.VERSION_OFFSET;

/**
 * A verify reply: a status for the whole reply and one verdict per event of the request, in request order.
 * The factories only build replies that {@link VerifyProtocol} allows (a failure status carries only
 * NOT_VERIFIED verdicts; a malformed-request reply carries none), and {@link #decode} refuses any other.
 */
public final class VerifyReply {
    private final VerifyStatus status;
    private final byte[] verdictCodes;

    private VerifyReply(VerifyStatus status, byte[] verdictCodes) {
        this.status = status;
        this.verdictCodes = verdictCodes;
    }

    /** An {@code OK} reply with these verdicts, in request order. */
    public static VerifyReply ok(List<Verdict> verdicts) {
        if (verdicts.isEmpty() || verdicts.size() > MAX_EVENTS_PER_REQUEST) {
            throw new IllegalArgumentException("an OK reply holds 1.." + MAX_EVENTS_PER_REQUEST
                    + " verdicts, got " + verdicts.size());
        }
        byte[] codes = new byte[verdicts.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = verdicts.get(i).code();
        }
        return new VerifyReply(VerifyStatus.OK, codes);
    }

    /**
     * A failure reply for a request of {@code count} events: every verdict NOT_VERIFIED.
     *
     * @param status {@code OVERLOADED}, {@code DEVICE_ERROR} or {@code SHUTTING_DOWN}
     */
    public static VerifyReply notVerified(VerifyStatus status, int count) {
        if (status == VerifyStatus.OK || status == VerifyStatus.MALFORMED_REQUEST) {
            throw new IllegalArgumentException(status + " is not a not-verified status");
        }
        if (count < 1 || count > MAX_EVENTS_PER_REQUEST) {
            throw new IllegalArgumentException("a request holds 1.." + MAX_EVENTS_PER_REQUEST + " events, got " + count);
        }
        return new VerifyReply(status, new byte[count]); // zero bytes are NOT_VERIFIED
    }

    /** The answer to a request that could not be decoded: no verdicts. */
    public static VerifyReply malformedRequest() {
        return new VerifyReply(VerifyStatus.MALFORMED_REQUEST, new byte[0]);
    }

    public VerifyStatus status() {
        return status;
    }

    public int count() {
        return verdictCodes.length;
    }

    public Verdict verdict(int index) {
        return Verdict.ofCode(verdictCodes[index]);
    }

    public List<Verdict> verdicts() {
        List<Verdict> verdicts = new ArrayList<>(verdictCodes.length);
        for (byte code : verdictCodes) {
            verdicts.add(Verdict.ofCode(code));
        }
        return verdicts;
    }

    public Buffer encode() {
        byte[] encoded = new byte[HEADER_BYTES + verdictCodes.length];
        writeHeader(encoded, status, verdictCodes.length);
        System.arraycopy(verdictCodes, 0, encoded, HEADER_BYTES, verdictCodes.length);
        return Buffer.buffer(encoded);
    }

    /** Writes a reply header for {@code count} verdicts at the start of {@code target}. */
    static void writeHeader(byte[] target, VerifyStatus status, int count) {
        target[0] = MAGIC_0;
        target[1] = REPLY_MAGIC_1;
        target[VERSION_OFFSET] = VerifyProtocol.FORMAT_VERSION;
        target[FLAGS_OFFSET] = status.code();
        target[COUNT_OFFSET] = (byte) (count >>> 24);
        target[COUNT_OFFSET + 1] = (byte) (count >>> 16);
        target[COUNT_OFFSET + 2] = (byte) (count >>> 8);
        target[COUNT_OFFSET + 3] = (byte) count;
    }

    /**
     * Decodes a reply to a request of {@code requestCount} events and checks that it answers exactly that many
     * (none for {@code MALFORMED_REQUEST}).
     *
     * @throws MalformedVerifyMessageException naming what is wrong
     */
    public static VerifyReply decode(Object message, int requestCount) {
        VerifyReply reply = decode(message);
        int expected = reply.status == VerifyStatus.MALFORMED_REQUEST ? 0 : requestCount;
        if (reply.count() != expected) {
            throw new MalformedVerifyMessageException(reply.status + " verify reply has " + reply.count()
                    + " verdicts for a request of " + requestCount + " events");
        }
        return reply;
    }

    /**
     * Decodes a reply on its own, checking layout, version, verdict bytes and the status rules.
     *
     * @param message the event-bus reply body; anything but a {@link Buffer} is refused
     * @throws MalformedVerifyMessageException naming what is wrong
     */
    public static VerifyReply decode(Object message) {
        if (!(message instanceof Buffer buffer)) {
            throw new MalformedVerifyMessageException("verify reply must be a Buffer, got "
                    + (message == null ? "null" : message.getClass().getName()));
        }
        if (buffer.length() < HEADER_BYTES) {
            throw new MalformedVerifyMessageException("verify reply of " + buffer.length()
                    + " bytes is shorter than its " + HEADER_BYTES + "-byte header");
        }
        if (buffer.getByte(0) != MAGIC_0 || buffer.getByte(1) != REPLY_MAGIC_1) {
            throw new MalformedVerifyMessageException("not a verify reply: magic bytes are "
                    + (buffer.getByte(0) & 0xFF) + " " + (buffer.getByte(1) & 0xFF) + ", expected 'N' 'R'");
        }
        byte version = buffer.getByte(VERSION_OFFSET);
        if (version != VerifyProtocol.FORMAT_VERSION) {
            throw new MalformedVerifyMessageException("verify reply format version " + (version & 0xFF)
                    + " is not supported; this side speaks version " + VerifyProtocol.FORMAT_VERSION);
        }
        VerifyStatus status = VerifyStatus.ofCode(buffer.getByte(FLAGS_OFFSET));
        if (status == null) {
            throw new MalformedVerifyMessageException("verify reply status code "
                    + (buffer.getByte(FLAGS_OFFSET) & 0xFF) + " is unknown");
        }
        int count = buffer.getInt(COUNT_OFFSET);
        int maxCount = status == VerifyStatus.MALFORMED_REQUEST ? 0 : MAX_EVENTS_PER_REQUEST;
        int minCount = status == VerifyStatus.MALFORMED_REQUEST ? 0 : 1;
        if (count < minCount || count > maxCount) {
            throw new MalformedVerifyMessageException(status + " verify reply count "
                    + Integer.toUnsignedString(count) + " is outside " + minCount + ".." + maxCount);
        }
        if (buffer.length() != HEADER_BYTES + count) {
            throw new MalformedVerifyMessageException("verify reply announces " + count + " verdicts but carries "
                    + (buffer.length() - HEADER_BYTES));
        }
        byte[] codes = buffer.getBytes(HEADER_BYTES, HEADER_BYTES + count);
        for (int i = 0; i < codes.length; i++) {
            if (Verdict.ofCode(codes[i]) == null) {
                throw new MalformedVerifyMessageException("verify reply verdict " + i + " has unknown code "
                        + (codes[i] & 0xFF));
            }
            if (status != VerifyStatus.OK && codes[i] != Verdict.NOT_VERIFIED_CODE) {
                throw new MalformedVerifyMessageException(status + " verify reply claims a decided verdict for event " + i);
            }
        }
        return new VerifyReply(status, codes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifyReply that && status == that.status
                && Arrays.equals(verdictCodes, that.verdictCodes);
    }

    @Override
    public int hashCode() {
        return 31 * status.hashCode() + Arrays.hashCode(verdictCodes);
    }

    @Override
    public String toString() {
        return "VerifyReply[" + status + ", " + verdictCodes.length + " verdicts]";
    }
}
