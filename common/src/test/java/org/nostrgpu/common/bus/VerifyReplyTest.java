package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.Verdict;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.common.verify.Verdict.INVALID;
import static org.nostrgpu.common.verify.Verdict.NOT_VERIFIED;
import static org.nostrgpu.common.verify.Verdict.VALID;

class VerifyReplyTest {

    @Test
    void anOkReplyRoundTripsEachVerdictInOrder() {
        List<Verdict> verdicts = List.of(VALID, INVALID, NOT_VERIFIED, VALID);
        Buffer buffer = VerifyReply.ok(verdicts).encode();

        assertEquals(8 + 4, buffer.length());
        assertEquals('N', buffer.getByte(0));
        assertEquals('R', buffer.getByte(1));
        assertEquals(VerifyStatus.OK.code(), buffer.getByte(3));
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 0, (byte) 1),
                List.of(buffer.getByte(8), buffer.getByte(9), buffer.getByte(10), buffer.getByte(11)));

        VerifyReply decoded = VerifyReply.decode(buffer, 4);
        assertEquals(VerifyStatus.OK, decoded.status());
        assertEquals(verdicts, decoded.verdicts());
        assertEquals(INVALID, decoded.verdict(1));
    }

    @Test
    void anEncodedReplyIsTheVerdictBytesItsBackendWroteBehindTheHeader() {
        VerifyReplyEncoder encoder = new VerifyReplyEncoder(3);
        byte[] codes = encoder.verdicts();
        codes[encoder.verdictOffset()] = VALID.code();
        codes[encoder.verdictOffset() + 2] = INVALID.code();
        Buffer buffer = encoder.finish();
        assertEquals(VerifyReply.ok(List.of(VALID, NOT_VERIFIED, INVALID)).encode(), buffer,
                "the same bytes as the reply built from verdicts; an unwritten verdict goes back not verified");
        assertThrows(IllegalStateException.class, encoder::finish);
    }

    @Test
    void aBackendsStrayByteGoesBackAsNotVerifiedSoTheReplyStaysDecodable() {
        VerifyReplyEncoder encoder = new VerifyReplyEncoder(2);
        encoder.verdicts()[encoder.verdictOffset()] = 7;
        encoder.verdicts()[encoder.verdictOffset() + 1] = VALID.code();
        assertEquals(List.of(NOT_VERIFIED, VALID), VerifyReply.decode(encoder.finish(), 2).verdicts());
        assertThrows(IllegalArgumentException.class, () -> new VerifyReplyEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new VerifyReplyEncoder(VerifyProtocol.MAX_EVENTS_PER_REQUEST + 1));
    }

    @Test
    void failureRepliesCarryOnlyNotVerifiedForTheWholeRequest() {
        for (VerifyStatus status : List.of(VerifyStatus.OVERLOADED, VerifyStatus.DEVICE_ERROR, VerifyStatus.SHUTTING_DOWN)) {
            VerifyReply decoded = VerifyReply.decode(VerifyReply.notVerified(status, 3).encode(), 3);
            assertEquals(status, decoded.status());
            assertEquals(List.of(NOT_VERIFIED, NOT_VERIFIED, NOT_VERIFIED), decoded.verdicts());
        }
        VerifyReply malformed = VerifyReply.decode(VerifyReply.malformedRequest().encode(), 12);
        assertEquals(VerifyStatus.MALFORMED_REQUEST, malformed.status());
        assertEquals(0, malformed.count());
    }

    @Test
    void theFactoriesRefuseRepliesTheProtocolForbids() {
        assertThrows(IllegalArgumentException.class, () -> VerifyReply.notVerified(VerifyStatus.OK, 1));
        assertThrows(IllegalArgumentException.class, () -> VerifyReply.notVerified(VerifyStatus.MALFORMED_REQUEST, 1));
        assertThrows(IllegalArgumentException.class, () -> VerifyReply.notVerified(VerifyStatus.OVERLOADED, 0));
        assertThrows(IllegalArgumentException.class, () -> VerifyReply.ok(List.of()));
    }

    @Test
    void aReplyForAnotherRequestSizeIsRefused() {
        Buffer twoVerdicts = VerifyReply.ok(List.of(VALID, VALID)).encode();
        assertMalformed("has 2 verdicts for a request of 3 events", () -> VerifyReply.decode(twoVerdicts, 3));
        Buffer overloadedForTwo = VerifyReply.notVerified(VerifyStatus.OVERLOADED, 2).encode();
        assertMalformed("has 2 verdicts for a request of 1", () -> VerifyReply.decode(overloadedForTwo, 1));
    }

    @Test
    void brokenLayoutsAreRefused() {
        Buffer good = VerifyReply.ok(List.of(VALID, INVALID)).encode();
        assertMalformed("must be a Buffer", () -> VerifyReply.decode(42));
        assertMalformed("shorter than its 8-byte header", () -> VerifyReply.decode(good.slice(0, 7)));
        assertMalformed("magic", () -> VerifyReply.decode(good.copy().setByte(1, (byte) 'V')));
        assertMalformed("version 9", () -> VerifyReply.decode(good.copy().setByte(2, (byte) 9)));
        assertMalformed("status code 77", () -> VerifyReply.decode(good.copy().setByte(3, (byte) 77)));
        assertMalformed("announces 3 verdicts but carries 2", () -> VerifyReply.decode(good.copy().setInt(4, 3)));
        assertMalformed("count 4294967295", () -> VerifyReply.decode(good.copy().setInt(4, -1)));
        assertMalformed("count 0 is outside 1..65536", () -> VerifyReply.decode(good.copy().setInt(4, 0)));
        assertMalformed("verdict 1 has unknown code 3", () -> VerifyReply.decode(good.copy().setByte(9, (byte) 3)));
    }

    @Test
    void aFailureReplyClaimingADecidedVerdictIsRefused() {
        Buffer lying = VerifyReply.notVerified(VerifyStatus.DEVICE_ERROR, 2).encode().setByte(9, (byte) 1);
        assertMalformed("claims a decided verdict for event 1", () -> VerifyReply.decode(lying));
        Buffer malformedWithVerdicts = VerifyReply.malformedRequest().encode().setInt(4, 1).appendByte((byte) 0);
        assertMalformed("MALFORMED_REQUEST verify reply count 1 is outside 0..0", () -> VerifyReply.decode(malformedWithVerdicts));
    }

    private static void assertMalformed(String expectedText, Runnable decode) {
        MalformedVerifyMessageException e = assertThrows(MalformedVerifyMessageException.class, decode::run);
        assertTrue(e.getMessage().contains(expectedText), e.getMessage());
    }
}
