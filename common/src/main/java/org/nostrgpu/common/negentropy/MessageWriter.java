package org.nostrgpu.common.negentropy;

import java.util.Arrays;

/**
 * Builds one message: a growable byte buffer plus the timestamp of the previous bound written, since bounds carry
 * their timestamp as the difference to it (plus one; 0 is infinity).
 */
final class MessageWriter {
    private byte[] bytes = new byte[256];
    private int size;
    private long lastTimestamp;

    void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void writeBytes(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    void writeVarint(long value) {
        Varint.write(this, value);
    }

    void writeBound(Bound bound) {
        if (bound.timestamp() == Bound.MAX_TIMESTAMP) {
            lastTimestamp = Bound.MAX_TIMESTAMP;
            writeVarint(0);
        } else {
            long delta = bound.timestamp() - lastTimestamp;
            lastTimestamp = bound.timestamp();
            writeVarint(delta + 1);
        }
        writeVarint(bound.idPrefix().length);
        writeBytes(bound.idPrefix(), 0, bound.idPrefix().length);
    }

    /** Appends what another writer built, whose bounds continued from this writer's last timestamp. */
    void append(MessageWriter other) {
        writeBytes(other.bytes, 0, other.size);
        lastTimestamp = other.lastTimestamp;
    }

    /** A writer for a part that will be {@link #append}ed here: it continues this writer's timestamps. */
    MessageWriter continuation() {
        MessageWriter part = new MessageWriter();
        part.lastTimestamp = lastTimestamp;
        return part;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
