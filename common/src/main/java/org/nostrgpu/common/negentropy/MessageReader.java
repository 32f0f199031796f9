package org.nostrgpu.common.negentropy;

/** Reads one message, tracking the previous bound's timestamp the way {@link MessageWriter} wrote it. */
final class MessageReader {
    private final byte[] bytes;
    private int position;
    private long lastTimestamp;

    MessageReader(byte[] bytes) {
        this.bytes = bytes;
    }

    boolean hasMore() {
        return position < bytes.length;
    }

    int readByte() throws NegentropyException {
        if (position >= bytes.length) {
            throw new NegentropyException("message ends in the middle of a field");
        }
        return bytes[position++] & 0xff;
    }

    byte[] readBytes(int length) throws NegentropyException {
        if (length < 0 || length > bytes.length - position) {
            throw new NegentropyException("message ends in the middle of a field");
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, position, out, 0, length);
        position += length;
        return out;
    }

    long readVarint() throws NegentropyException {
        return Varint.read(this);
    }

    Bound readBound() throws NegentropyException {
        long encoded = readVarint();
        long timestamp;
        if (encoded == 0 || lastTimestamp == Bound.MAX_TIMESTAMP) {
            timestamp = Bound.MAX_TIMESTAMP;
        } else {
            timestamp = encoded - 1 + lastTimestamp;
            if (timestamp < 0) { // beyond 63 bits: no event is that late
                timestamp = Bound.MAX_TIMESTAMP;
            }
        }
        lastTimestamp = timestamp;
        long length = readVarint();
        if (length > ItemSet.ID_SIZE) {
            throw new NegentropyException("bound key too long");
        }
        return new Bound(timestamp, readBytes((int) length));
    }
}
