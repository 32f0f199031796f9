package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;

/**
 * Writes one verify request straight into the {@link Buffer} that is sent: one allocation per request, none per
 * event (hex input is decoded through one reused scratch record). Add 1 to
 * {@link VerifyProtocol#MAX_EVENTS_PER_REQUEST} events, then {@link #finish()}. Not thread-safe; one request each.
 */
public final class VerifyRequestEncoder {
    private final Buffer buffer;
    private final byte[] scratch = new byte[SignatureRecords.RECORD_BYTES];
    private int count;
    private boolean finished;

    /** @param expectedCount how many events will be added; sizes the buffer, not a limit */
    public VerifyRequestEncoder(int expectedCount) {
        int capacityHint = Math.max(1, Math.min(expectedCount, VerifyProtocol.MAX_EVENTS_PER_REQUEST));
        this.buffer = Buffer.buffer(VerifyProtocol.requestBytes(capacityHint));
        buffer.appendByte(VerifyProtocol.MAGIC_0)
                .appendByte(VerifyProtocol.REQUEST_MAGIC_1)
                .appendByte(VerifyProtocol.FORMAT_VERSION)
                .appendByte((byte) 0)
                .appendInt(0); // count, written by finish()
    }

    /** Adds one event from its raw bytes: 32-byte id, 32-byte x-only public key, 64-byte signature. */
    public VerifyRequestEncoder add(byte[] id, byte[] pubkey, byte[] signature) {
        if (id.length != 32 || pubkey.length != 32 || signature.length != 64) {
            throw new IllegalArgumentException("needs a 32-byte id, 32-byte public key and 64-byte signature; got "
                    + id.length + ", " + pubkey.length + ", " + signature.length);
        }
        startRecord();
        buffer.appendBytes(id).appendBytes(pubkey).appendBytes(signature);
        return this;
    }

    public VerifyRequestEncoder add(SignatureCheck check) {
        return add(check.message(), check.pubkey(), check.signature());
    }

    /** Adds every record of {@code records}, in order, as one block. */
    public VerifyRequestEncoder addRecords(SignatureRecords records) {
        if (finished) {
            throw new IllegalStateException("verify request already finished");
        }
        if (count + records.count() > VerifyProtocol.MAX_EVENTS_PER_REQUEST) {
            throw new IllegalStateException("a verify request holds at most "
                    + VerifyProtocol.MAX_EVENTS_PER_REQUEST + " events");
        }
        byte[] block = new byte[Math.toIntExact(SignatureRecords.bytesFor(records.count()))];
        records.copyTo(0, records.count(), java.nio.ByteBuffer.wrap(block), 0);
        buffer.appendBytes(block);
        count += records.count();
        return this;
    }

    /** Adds one event from the lowercase hex of a Nostr event's id, pubkey and sig fields. */
    public VerifyRequestEncoder addHex(String idHex, String pubkeyHex, String signatureHex) {
        SignatureRecords.decodeHex(idHex, pubkeyHex, signatureHex, scratch, 0);
        startRecord();
        buffer.appendBytes(scratch);
        return this;
    }

    /** Events added so far. */
    public int count() {
        return count;
    }

    /** Writes the count and hands over the buffer; the encoder cannot be used afterwards. */
    public Buffer finish() {
        if (finished) {
            throw new IllegalStateException("verify request already finished");
        }
        if (count == 0) {
            throw new IllegalStateException("a verify request needs at least one event");
        }
        finished = true;
        buffer.setInt(VerifyProtocol.COUNT_OFFSET, count);
        return buffer;
    }

    private void startRecord() {
        if (finished) {
            throw new IllegalStateException("verify request already finished");
        }
        if (count == VerifyProtocol.MAX_EVENTS_PER_REQUEST) {
            throw new IllegalStateException("a verify request holds at most "
                    + VerifyProtocol.MAX_EVENTS_PER_REQUEST + " events");
        }
        count++;
    }
}
