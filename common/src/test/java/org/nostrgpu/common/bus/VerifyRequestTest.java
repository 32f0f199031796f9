package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyRequestTest {
    private final Random random = new Random(7);

    @Test
    void checksRoundTripInOrderWithTheKernelRecordLayout() {
        List<SignatureCheck> checks = randomChecks(5);
        VerifyRequestEncoder encoder = new VerifyRequestEncoder(2); // a low hint only sizes the buffer
        checks.forEach(encoder::add);
        Buffer buffer = encoder.finish();

        assertEquals(8 + 5 * 128, buffer.length());
        assertEquals('N', buffer.getByte(0));
        assertEquals('V', buffer.getByte(1));
        assertEquals(VerifyProtocol.FORMAT_VERSION, buffer.getByte(2));
        assertEquals(5, buffer.getInt(4));
        assertArrayEquals(checks.get(1).signature(), buffer.getBytes(8 + 128 + 64, 8 + 256));

        VerifyRequest request = VerifyRequest.decode(buffer);
        assertEquals(5, request.count());
        SignatureRecords records = request.records();
        assertEquals(5, records.count());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(checks.get(i).message(), records.check(i).message());
            assertArrayEquals(checks.get(i).pubkey(), records.check(i).pubkey());
            assertArrayEquals(checks.get(i).signature(), records.check(i).signature());
        }
        ByteBuffer copied = ByteBuffer.allocateDirect(2 * 128);
        records.copyTo(3, 2, copied, 0);
        byte[] block = new byte[2 * 128];
        copied.get(0, block);
        assertArrayEquals(buffer.getBytes(8 + 3 * 128, 8 + 5 * 128), block, "records are copied as one block");
    }

    @Test
    void theRecordsAreViewedWhereTheMessageArrivedNotCopied() {
        Buffer buffer = new VerifyRequestEncoder(2).add(randomChecks(1).get(0)).add(randomChecks(1).get(0)).finish();
        SignatureRecords records = VerifyRequest.decode(buffer).records();
        buffer.setByte(8 + 128 + 32, (byte) 0x5A);
        byte[] pubkey = new byte[32];
        records.pubkey(1, pubkey);
        assertEquals(0x5A, pubkey[0], "the view shows the buffer's own bytes");
    }

    @Test
    void hexInputEncodesTheSameBytes() {
        SignatureCheck check = randomChecks(1).get(0);
        Buffer fromBytes = new VerifyRequestEncoder(1).add(check).finish();
        Buffer fromHex = new VerifyRequestEncoder(1)
                .addHex(Hex.encode(check.message()), Hex.encode(check.pubkey()), Hex.encode(check.signature()))
                .finish();
        assertEquals(fromBytes, fromHex);
        assertThrows(IllegalArgumentException.class, () -> new VerifyRequestEncoder(1)
                .addHex("AB".repeat(32), Hex.encode(check.pubkey()), Hex.encode(check.signature())));
    }

    @Test
    void theEncoderRefusesEmptyOversizedAndReusedRequests() {
        assertThrows(IllegalStateException.class, () -> new VerifyRequestEncoder(1).finish());
        assertThrows(IllegalArgumentException.class,
                () -> new VerifyRequestEncoder(1).add(new byte[31], new byte[32], new byte[64]));

        VerifyRequestEncoder full = new VerifyRequestEncoder(VerifyProtocol.MAX_EVENTS_PER_REQUEST);
        byte[] id = new byte[32];
        byte[] key = new byte[32];
        byte[] sig = new byte[64];
        for (int i = 0; i < VerifyProtocol.MAX_EVENTS_PER_REQUEST; i++) {
            full.add(id, key, sig);
        }
        assertThrows(IllegalStateException.class, () -> full.add(id, key, sig));
        Buffer largest = full.finish();
        assertEquals(VerifyProtocol.MAX_EVENTS_PER_REQUEST, VerifyRequest.decode(largest).count());
        assertThrows(IllegalStateException.class, full::finish);
    }

    @Test
    void notABufferIsRefused() {
        assertMalformed("must be a Buffer", "a string");
        assertMalformed("must be a Buffer", null);
    }

    @Test
    void aShortHeaderIsRefused() {
        assertMalformed("shorter than its 8-byte header", Buffer.buffer());
        assertMalformed("shorter than its 8-byte header", Buffer.buffer(new byte[]{'N', 'V', 1, 0, 0, 0, 1}));
    }

    @Test
    void wrongMagicVersionOrReservedByteIsRefused() {
        Buffer good = oneEvent();
        assertMalformed("magic", good.copy().setByte(1, (byte) 'R'));
        assertMalformed("version 2 is not supported", good.copy().setByte(2, (byte) 2));
        assertMalformed("reserved byte", good.copy().setByte(3, (byte) 1));
    }

    @Test
    void aCountOfZeroNegativeOrAboveTheMaximumIsRefusedBeforeAnyRead() {
        assertMalformed("count 0 is outside 1..65536", Buffer.buffer().appendBytes(new byte[]{'N', 'V', 1, 0}).appendInt(0));
        assertMalformed("count 4294967295", oneEvent().setInt(4, -1));
        assertMalformed("count 65537", oneEvent().setInt(4, VerifyProtocol.MAX_EVENTS_PER_REQUEST + 1));
        assertMalformed("count 2147483647", oneEvent().setInt(4, Integer.MAX_VALUE));
    }

    @Test
    void aCountThatDisagreesWithTheSizeIsRefused() {
        assertMalformed("announces 2 events (264 bytes) but is 136", oneEvent().setInt(4, 2));
        Buffer truncated = oneEvent();
        assertMalformed("but is 135 bytes", truncated.slice(0, truncated.length() - 1));
        assertMalformed("but is 137 bytes", oneEvent().appendByte((byte) 0));
    }

    @Test
    void accessorsOutsideTheRequestAreRefused() {
        SignatureRecords records = VerifyRequest.decode(oneEvent()).records();
        assertThrows(IndexOutOfBoundsException.class, () -> records.check(1));
        assertThrows(IndexOutOfBoundsException.class, () -> records.check(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> records.slice(0, 2));
    }

    private Buffer oneEvent() {
        return new VerifyRequestEncoder(1).add(randomChecks(1).get(0)).finish();
    }

    private static void assertMalformed(String expectedText, Object message) {
        MalformedVerifyMessageException e = assertThrows(MalformedVerifyMessageException.class,
                () -> VerifyRequest.decode(message));
        assertTrue(e.getMessage().contains(expectedText), e.getMessage());
    }

    private List<SignatureCheck> randomChecks(int count) {
        List<SignatureCheck> checks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            checks.add(new SignatureCheck(bytes(32), bytes(32), bytes(64)));
        }
        return checks;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
