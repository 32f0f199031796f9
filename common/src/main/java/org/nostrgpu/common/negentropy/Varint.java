package org.nostrgpu.common.negentropy;

/**
 * The protocol's unsigned integers: base 128, most significant group first, every byte but the last with its high
 * bit set (0 is one zero byte).
 */
final class Varint {
    private Varint() {
    }

    static void write(MessageWriter out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varints here are non-negative, got " + value);
        }
        byte[] groups = new byte[10];
        int n = 0;
        do {
            groups[n++] = (byte) (value & 0x7f);
            value >>>= 7;
        } while (value != 0);
        for (int i = n - 1; i >= 0; i--) {
            out.writeByte(i == 0 ? groups[i] : groups[i] | 0x80);
        }
    }

    /** Reads one varint; values that do not fit in 63 bits saturate at {@link Long#MAX_VALUE}. */
    static long read(MessageReader in) throws NegentropyException {
        long value = 0;
        boolean saturated = false;
        for (int bytes = 0; ; bytes++) {
            if (bytes == 10) {
                throw new NegentropyException("varint longer than 10 bytes");
            }
            int b = in.readByte();
            if (value > (Long.MAX_VALUE >>> 7)) {
                saturated = true;
            }
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                return saturated || value < 0 ? Long.MAX_VALUE : value;
            }
        }
    }
}
