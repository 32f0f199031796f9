package org.nostrgpu.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import org.nostrgpu.common.bus.MalformedVerifyMessageException;
import org.nostrgpu.common.bus.VerifyReply;
import org.nostrgpu.common.bus.VerifyRequest;
import org.nostrgpu.common.bus.VerifyRequestEncoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The event-bus codecs against any bytes (what a forged or broken peer could send): a request or reply either
 * decodes or is refused with {@link MalformedVerifyMessageException}, never another exception, and what decodes
 * encodes back to the same bytes, every record and verdict readable.
 */
class VerifyCodecFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyBytesDecodeOrAreRefusedAndDecodedMessagesReencodeAlike(byte[] input) {
        Buffer bytes = Buffer.buffer(input);
        try {
            VerifyRequest request = VerifyRequest.decode(bytes);
            VerifyRequestEncoder again = new VerifyRequestEncoder(request.count());
            for (int i = 0; i < request.count(); i++) {
                again.add(request.records().check(i));
            }
            assertEquals(bytes, again.finish());
        } catch (MalformedVerifyMessageException refused) {
            // refused as a request; the same bytes as a reply below
        }
        try {
            VerifyReply reply = VerifyReply.decode(bytes);
            reply.verdicts();
            assertEquals(bytes, reply.encode());
            assertEquals(reply, VerifyReply.decode(reply.encode(), reply.count()));
        } catch (MalformedVerifyMessageException refused) {
            // refused as a reply
        }
    }
}
