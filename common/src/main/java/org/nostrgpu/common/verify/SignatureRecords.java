package org.nostrgpu.common.verify;

import org.nostrgpu.common.event.Hex;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A read-only view of signature records laid out back to back, the one byte layout every layer shares: the
 * records of a verify request on the event bus, the CPU backend's input and the CUDA kernel's input buffer.
 * <pre>
 * offset   0  32 bytes  message: the Nostr event id
 * offset  32  32 bytes  x-only public key
 * offset  64  64 bytes  signature r || s
 * </pre>
 * All fields are big-endian byte strings as BIP-340 defines them. A view never copies on its own: a request's
 * records are viewed where the event bus delivered them, and {@link #copyTo} moves whole runs of records as one
 * block (into a GPU's pinned staging buffer, for instance). Absolute reads only, so any number of threads may
 * read one view at once.
 */
public final class SignatureRecords {
    public static final int RECORD_BYTES = 128;
    public static final int MESSAGE_OFFSET = 0;
    public static final int PUBKEY_OFFSET = 32;
    public static final int SIGNATURE_OFFSET = 64;
    public static final int MESSAGE_BYTES = 32;
    public static final int PUBKEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    private final ByteBuffer bytes;
    private final int count;

    private SignatureRecords(ByteBuffer bytes, int count) {
        this.bytes = bytes;
        this.count = count;
    }

    /**
     * Views the bytes from {@code bytes}' position to its limit as records, without copying. Neither the
     * position nor the limit of {@code bytes} is used afterwards; its content must not change while viewed.
     *
     * @throws IllegalArgumentException when the length is not a whole number of records
     */
    public static SignatureRecords view(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (length % RECORD_BYTES != 0) {
            throw new IllegalArgumentException(length + " bytes are not a whole number of " + RECORD_BYTES
                    + "-byte signature records");
        }
        return new SignatureRecords(bytes.slice(), length / RECORD_BYTES);
    }

    /** The records of {@code checks}, in order, packed into a new heap buffer (tests, tools, the relay's CPU path). */
    public static SignatureRecords of(List<SignatureCheck> checks) {
        byte[] packed = new byte[Math.toIntExact(bytesFor(checks.size()))];
        for (int i = 0; i < checks.size(); i++) {
            SignatureCheck check = checks.get(i);
            int base = i * RECORD_BYTES;
            System.arraycopy(check.message(), 0, packed, base + MESSAGE_OFFSET, MESSAGE_BYTES);
            System.arraycopy(check.pubkey(), 0, packed, base + PUBKEY_OFFSET, PUBKEY_BYTES);
            System.arraycopy(check.signature(), 0, packed, base + SIGNATURE_OFFSET, SIGNATURE_BYTES);
        }
        return view(ByteBuffer.wrap(packed));
    }

    /**
     * Writes one record at {@code target[offset ..]} from the lowercase hex of a Nostr event's id, pubkey and sig.
     *
     * @throws IllegalArgumentException when a field is not lowercase hex of its length (nothing is written)
     */
    public static void decodeHex(String idHex, String pubkeyHex, String signatureHex, byte[] target, int offset) {
        if (!Hex.isLowerHex(idHex, 2 * MESSAGE_BYTES) || !Hex.isLowerHex(pubkeyHex, 2 * PUBKEY_BYTES)
                || !Hex.isLowerHex(signatureHex, 2 * SIGNATURE_BYTES)) {
            throw new IllegalArgumentException("needs 64, 64 and 128 lowercase hex characters for id, pubkey and sig");
        }
        Hex.decodeInto(idHex, target, offset + MESSAGE_OFFSET);
        Hex.decodeInto(pubkeyHex, target, offset + PUBKEY_OFFSET);
        Hex.decodeInto(signatureHex, target, offset + SIGNATURE_OFFSET);
    }

    /** Bytes needed for {@code records} records, refusing counts whose size overflows a long. */
    public static long bytesFor(long records) {
        return Math.multiplyExact(records, RECORD_BYTES);
    }

    public int count() {
        return count;
    }

    /** Records {@code [from, from + length)} as a view of their own, without copying. */
    public SignatureRecords slice(int from, int length) {
        checkRange(from, length);
        return new SignatureRecords(bytes.slice(from * RECORD_BYTES, length * RECORD_BYTES), length);
    }

    /**
     * Copies records {@code [from, from + length)} as one block into {@code target} at byte {@code targetOffset}
     * (absolute: {@code target}'s position is neither used nor changed).
     */
    public void copyTo(int from, int length, ByteBuffer target, int targetOffset) {
        checkRange(from, length);
        target.put(targetOffset, bytes, from * RECORD_BYTES, length * RECORD_BYTES);
    }

    /** Copies record {@code index}'s message (the event id) into {@code into}. */
    public void message(int index, byte[] into) {
        field(index, MESSAGE_OFFSET, into, MESSAGE_BYTES);
    }

    /** Copies record {@code index}'s x-only public key into {@code into}. */
    public void pubkey(int index, byte[] into) {
        field(index, PUBKEY_OFFSET, into, PUBKEY_BYTES);
    }

    /** Copies record {@code index}'s signature into {@code into}. */
    public void signature(int index, byte[] into) {
        field(index, SIGNATURE_OFFSET, into, SIGNATURE_BYTES);
    }

    /** Record {@code index} as a check of its own (copies; for tools and tests, not for hot paths). */
    public SignatureCheck check(int index) {
        byte[] message = new byte[MESSAGE_BYTES];
        byte[] pubkey = new byte[PUBKEY_BYTES];
        byte[] signature = new byte[SIGNATURE_BYTES];
        message(index, message);
        pubkey(index, pubkey);
        signature(index, signature);
        return new SignatureCheck(message, pubkey, signature);
    }

    private void field(int index, int offset, byte[] into, int length) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("record " + index + " of " + count);
        }
        if (into.length != length) {
            throw new IllegalArgumentException("needs a " + length + "-byte array, got " + into.length);
        }
        bytes.get(index * RECORD_BYTES + offset, into);
    }

    private void checkRange(int from, int length) {
        if (from < 0 || length < 0 || from > count - length) {
            throw new IndexOutOfBoundsException("records [" + from + ", " + ((long) from + length) + ") of " + count);
        }
    }

    @Override
    public String toString() {
        return count + " signature records";
    }
}
