package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

/**
 * The {@code OK} reply to one request, built in place: a worker hands {@link #verdicts()} to its backend as the
 * request's verdict destination ({@link SignatureBatch.Run}), the backend writes each event's code there, and
 * {@link #finish()} sends those very bytes behind the header. No per-event object on the way. Verdicts start as
 * NOT_VERIFIED, so an event no backend decided goes back undecided and its relay falls back for it alone.
 */
public final class VerifyReplyEncoder {
    private final byte[] encoded;
    private final int count;
    private boolean finished;

    /** @param count events of the request answered, 1 .. {@link VerifyProtocol#MAX_EVENTS_PER_REQUEST} */
    public VerifyReplyEncoder(int count) {
        if (count < 1 || count > VerifyProtocol.MAX_EVENTS_PER_REQUEST) {
            throw new IllegalArgumentException("an OK reply holds 1.." + VerifyProtocol.MAX_EVENTS_PER_REQUEST
                    + " verdicts, got " + count);
        }
        this.count = count;
        this.encoded = new byte[VerifyProtocol.HEADER_BYTES + count];
        VerifyReply.writeHeader(encoded, VerifyStatus.OK, count);
    }

    public int count() {
        return count;
    }

    /** The array the verdict codes go in: event i's at {@code verdictOffset() + i}. */
    public byte[] verdicts() {
        return encoded;
    }

    public int verdictOffset() {
        return VerifyProtocol.HEADER_BYTES;
    }

    /** The run that verifies events {@code [first, first + length)} of the request into this reply. */
    public SignatureBatch.Run run(SignatureRecords requestRecords, int first, int length) {
        return new SignatureBatch.Run(requestRecords.slice(first, length), encoded, verdictOffset() + first);
    }

    /**
     * The encoded reply. Any byte that is not a verdict code is sent as NOT_VERIFIED (a misbehaving backend cannot
     * make the reply undecodable). The encoder cannot be used afterwards.
     */
    public Buffer finish() {
        if (finished) {
            throw new IllegalStateException("verify reply already finished");
        }
        finished = true;
        for (int i = VerifyProtocol.HEADER_BYTES; i < encoded.length; i++) {
            if (Verdict.ofCode(encoded[i]) == null) {
                encoded[i] = Verdict.NOT_VERIFIED_CODE;
            }
        }
        return Buffer.buffer(encoded);
    }
}
