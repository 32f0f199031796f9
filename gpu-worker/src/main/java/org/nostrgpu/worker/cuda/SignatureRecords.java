package org.nostrgpu.worker.cuda;

import org.nostrgpu.common.verify.SignatureCheck;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The kernel's input layout: one 128-byte record per signature, array of structures,
 * {@code message (32) | x-only public key (32) | signature r || s (64)}, records back to back.
 */
public final class SignatureRecords {
    public static final int RECORD_BYTES = 128;
    public static final int MESSAGE_OFFSET = 0;
    public static final int PUBKEY_OFFSET = 32;
    public static final int SIGNATURE_OFFSET = 64;

    /**
     * Writes {@code checks[from, to)} as records into {@code target}, starting at index 0 of the buffer
     * (absolute: the buffer's position is ignored and left unchanged).
     */
    public static void pack(List<SignatureCheck> checks, int from, int to, ByteBuffer target) {
        int needed = (to - from) * RECORD_BYTES;
        if (from < 0 || to < from || to > checks.size() || needed > target.capacity()) {
            throw new IllegalArgumentException("cannot pack checks [" + from + ", " + to + ") of " + checks.size()
                    + " into " + target.capacity() + " bytes");
        }
        int offset = 0;
        for (int i = from; i < to; i++) {
            SignatureCheck check = checks.get(i);
            target.put(offset + MESSAGE_OFFSET, check.message());
            target.put(offset + PUBKEY_OFFSET, check.pubkey());
            target.put(offset + SIGNATURE_OFFSET, check.signature());
            offset += RECORD_BYTES;
        }
    }

    /** Bytes needed for {@code records} records, refusing counts whose size would not fit an int-indexed buffer. */
    public static long bytesFor(long records) {
        return Math.multiplyExact(records, RECORD_BYTES);
    }

    private SignatureRecords() {
    }
}
