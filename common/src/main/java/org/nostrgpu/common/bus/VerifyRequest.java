package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import org.nostrgpu.common.verify.SignatureCheck;

import java.util.ArrayList;
import java.util.List;

import static org.nostrgpu.common.bus.VerifyProtocol.COUNT_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.FLAGS_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.HEADER_BYTES;
import static org.nostrgpu.common.bus.VerifyProtocol.ID_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.MAGIC_0;
import static org.nostrgpu.common.bus.VerifyProtocol.MAX_EVENTS_PER_REQUEST;
import static org.nostrgpu.common.bus.VerifyProtocol.PUBKEY_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.RECORD_BYTES;
import static org.nostrgpu.common.bus.VerifyProtocol.REQUEST_MAGIC_1;
import static org.nostrgpu.common.bus.VerifyProtocol.SIGNATURE_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.VERSION_OFFSET;

/**
 * A received verify request whose layout has been checked: {@link #decode} validates magic, version, count and
 * size before anything is read, so the accessors can never read out of bounds. Built with
 * {@link VerifyRequestEncoder}; the layout is described in {@link VerifyProtocol}.
 */
public final class VerifyRequest {
    private final Buffer buffer;
    private final int count;

    private VerifyRequest(Buffer buffer, int count) {
        this.buffer = buffer;
        this.count = count;
    }

    /**
     * @param message the event-bus message body; anything but a {@link Buffer} is refused
     * @throws MalformedVerifyMessageException naming what is wrong
     */
    public static VerifyRequest decode(Object message) {
        if (!(message instanceof Buffer buffer)) {
            throw new MalformedVerifyMessageException("verify request must be a Buffer, got "
                    + (message == null ? "null" : message.getClass().getName()));
        }
        if (buffer.length() < HEADER_BYTES) {
            throw new MalformedVerifyMessageException("verify request of " + buffer.length()
                    + " bytes is shorter than its " + HEADER_BYTES + "-byte header");
        }
        if (buffer.getByte(0) != MAGIC_0 || buffer.getByte(1) != REQUEST_MAGIC_1) {
            throw new MalformedVerifyMessageException("not a verify request: magic bytes are "
                    + hexByte(buffer.getByte(0)) + " " + hexByte(buffer.getByte(1)) + ", expected 'N' 'V'");
        }
        byte version = buffer.getByte(VERSION_OFFSET);
        if (version != VerifyProtocol.FORMAT_VERSION) {
            throw new MalformedVerifyMessageException("verify request format version " + (version & 0xFF)
                    + " is not supported; this side speaks version " + VerifyProtocol.FORMAT_VERSION);
        }
        if (buffer.getByte(FLAGS_OFFSET) != 0) {
            throw new MalformedVerifyMessageException("verify request reserved byte must be 0, got "
                    + hexByte(buffer.getByte(FLAGS_OFFSET)));
        }
        int count = buffer.getInt(COUNT_OFFSET);
        if (count < 1 || count > MAX_EVENTS_PER_REQUEST) {
            throw new MalformedVerifyMessageException("verify request count " + Integer.toUnsignedString(count)
                    + " is outside 1.." + MAX_EVENTS_PER_REQUEST);
        }
        int expected = VerifyProtocol.requestBytes(count);
        if (buffer.length() != expected) {
            throw new MalformedVerifyMessageException("verify request announces " + count + " events ("
                    + expected + " bytes) but is " + buffer.length() + " bytes long");
        }
        return new VerifyRequest(buffer, count);
    }

    public int count() {
        return count;
    }

    /** The check for event {@code index}, copied out of the buffer. */
    public SignatureCheck check(int index) {
        int record = recordOffset(index);
        byte[] id = new byte[32];
        byte[] pubkey = new byte[32];
        byte[] signature = new byte[64];
        buffer.getBytes(record + ID_OFFSET, record + ID_OFFSET + 32, id);
        buffer.getBytes(record + PUBKEY_OFFSET, record + PUBKEY_OFFSET + 32, pubkey);
        buffer.getBytes(record + SIGNATURE_OFFSET, record + SIGNATURE_OFFSET + 64, signature);
        return new SignatureCheck(id, pubkey, signature);
    }

    /** Every check, in request order. */
    public List<SignatureCheck> checks() {
        List<SignatureCheck> checks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            checks.add(check(i));
        }
        return checks;
    }

    /** The records, {@code 128 * count} bytes in the kernel's layout, without copying. */
    public Buffer records() {
        return buffer.slice(HEADER_BYTES, buffer.length());
    }

    private int recordOffset(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("event " + index + " of a request of " + count);
        }
        return HEADER_BYTES + index * RECORD_BYTES;
    }

    private static String hexByte(byte b) {
        return String.format("0x%02x", b & 0xFF);
    }
}
