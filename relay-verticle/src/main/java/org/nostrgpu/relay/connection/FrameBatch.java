package org.nostrgpu.relay.connection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Complete WebSocket text frames (RFC 6455 section 5.2: final, unmasked, as a server sends them) laid end to end in
 * one byte array, for {@link ConnectionOutput}. An EVENT frame is built from bytes: the subscription's prefix
 * {@code ["EVENT",<id>,}, the event's stored UTF-8 JSON and {@code ]}, with nothing decoded or encoded on the way.
 * Not thread-safe: one writer builds a batch, then hands it over.
 */
final class FrameBatch {
    private static final int FIN_TEXT = 0x81;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;
    private static final byte END = ']';

    private byte[] bytes;
    private int size;

    FrameBatch(int expectedBytes) {
        bytes = new byte[Math.max(16, expectedBytes)];
    }

    /** Appends an EVENT frame: prefix, JSON, {@code ]} (the JSON must be valid UTF-8; stored JSON is). */
    FrameBatch event(byte[] prefix, byte[] json) {
        int payload = prefix.length + json.length + 1;
        header(payload);
        System.arraycopy(prefix, 0, bytes, size, prefix.length);
        System.arraycopy(json, 0, bytes, size + prefix.length, json.length);
        bytes[size + payload - 1] = END;
        size += payload;
        return this;
    }

    /** Appends a text frame holding this message. */
    FrameBatch text(String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        header(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    /** Writes the header of a frame with this payload length and makes room for the payload. */
    private void header(int payload) {
        ensure(10 + payload);
        bytes[size++] = (byte) FIN_TEXT;
        if (payload < LENGTH_16) {
            bytes[size++] = (byte) payload;
        } else if (payload <= 0xFFFF) {
            bytes[size++] = (byte) LENGTH_16;
            bytes[size++] = (byte) (payload >>> 8);
            bytes[size++] = (byte) payload;
        } else {
            bytes[size++] = (byte) LENGTH_64;
            long length = payload;
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (length >>> shift);
            }
        }
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The frames: the first {@link #size()} bytes of this array. */
    byte[] bytes() {
        return bytes;
    }

    int size() {
        return size;
    }
}
