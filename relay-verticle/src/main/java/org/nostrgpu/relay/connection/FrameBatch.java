package org.nostrgpu.relay.connection;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Complete WebSocket text frames (RFC 6455 section 5.2: final, unmasked, as a server sends them) laid end to end in
 * one buffer from {@link ConnectionOutput#batch}. An EVENT frame is built from bytes: the subscription's prefix
 * {@code ["EVENT",<id>,}, the event's stored UTF-8 JSON and {@code ]}, with nothing decoded or encoded on the way.
 *
 * <p>The buffer is the channel allocator's direct memory, so the socket writes it as built: a heap buffer would be
 * allocated and zeroed here, then copied into a direct buffer by Netty before the write (for live fan-out, that
 * was two of the three copies of every frame). Whoever holds a batch hands it to {@link ConnectionOutput#write} or
 * {@link #release}s it. Not thread-safe: one writer builds a batch, then hands it over.
 */
final class FrameBatch {
    private static final int FIN_TEXT = 0x81;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;
    private static final byte END = ']';

    private final ByteBuf bytes;

    /** @param buffer empty, sized for the expected frames (it grows when they are more) */
    FrameBatch(ByteBuf buffer) {
        this.bytes = buffer;
    }

    /** Appends an EVENT frame: prefix, JSON, {@code ]} (the JSON must be valid UTF-8; stored JSON is). */
    FrameBatch event(byte[] prefix, byte[] json) {
        int payload = prefix.length + json.length + 1;
        header(payload);
        bytes.writeBytes(prefix).writeBytes(json).writeByte(END);
        return this;
    }

    /** Appends a text frame holding this message. */
    FrameBatch text(String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        header(utf8.length);
        bytes.writeBytes(utf8);
        return this;
    }

    /** Writes the header of a frame with this payload length and makes room for the payload. */
    private void header(int payload) {
        bytes.ensureWritable(10 + payload);
        bytes.writeByte(FIN_TEXT);
        if (payload < LENGTH_16) {
            bytes.writeByte(payload);
        } else if (payload <= 0xFFFF) {
            bytes.writeByte(LENGTH_16).writeShort(payload);
        } else {
            bytes.writeByte(LENGTH_64).writeLong(payload);
        }
    }

    boolean isEmpty() {
        return !bytes.isReadable();
    }

    int size() {
        return bytes.readableBytes();
    }

    /** The frames, for the socket: whoever takes them releases them (Netty does, once written). */
    ByteBuf buffer() {
        return bytes;
    }

    /** Returns the buffer to the allocator: for a batch that will not be written. */
    void release() {
        bytes.release();
    }
}
