package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.nostrgpu.common.verify.SignatureRecords;

import java.nio.ByteBuffer;

import static org.nostrgpu.common.bus.VerifyProtocol.COUNT_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.FLAGS_OFFSET;
import static org.nostrgpu.common.bus.VerifyProtocol.HEADER_BYTES;
import static org.nostrgpu.common.bus.VerifyProtocol.MAGIC_0;
import static org.nostrgpu.common.bus.VerifyProtocol.MAX_EVENTS_PER_REQUEST;
import static org.nostrgpu.common.bus.VerifyProtocol.REQUEST_MAGIC_1;
import static org.nostrgpu.common.bus.VerifyProtocol.VERSION_OFFSET;

/**
 * A received verify request whose layout has been checked: {@link #decode} validates magic, version, count and
 * size before anything is read, so the records view can never reach out of bounds. Built with
 * {@link VerifyRequestEncoder}; the layout is described in {@link VerifyProtocol}.
 */
public final class VerifyRequest {
    private final SignatureRecords records;

    private VerifyRequest(SignatureRecords records) {
        this.records = records;
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
        return new VerifyRequest(SignatureRecords.view(recordBytes(buffer)));
    }

    public int count() {
        return records.count();
    }

    /** The events' records in request order, viewed where the message arrived: nothing is copied. */
    public SignatureRecords records() {
        return records;
    }

    /**
     * The bytes after the header, without copying where the buffer allows it. Vert.x buffers are Netty buffers
     * underneath ({@link BufferInternal}, the integrators' API); their NIO view of a heap buffer shares its array.
     * Any other implementation is copied once.
     */
    private static ByteBuffer recordBytes(Buffer buffer) {
        int length = buffer.length() - HEADER_BYTES;
        if (buffer instanceof BufferInternal internal) {
            return internal.getByteBuf().nioBuffer(HEADER_BYTES, length);
        }
        return ByteBuffer.wrap(buffer.getBytes(HEADER_BYTES, buffer.length()));
    }

    private static String hexByte(byte b) {
        return String.format("0x%02x", b & 0xFF);
    }
}
