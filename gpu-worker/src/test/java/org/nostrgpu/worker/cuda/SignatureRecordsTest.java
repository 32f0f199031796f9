package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.SignatureCheck;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignatureRecordsTest {

    private static SignatureCheck filled(int seed) {
        byte[] message = new byte[32];
        byte[] pubkey = new byte[32];
        byte[] signature = new byte[64];
        Arrays.fill(message, (byte) seed);
        Arrays.fill(pubkey, (byte) (seed + 1));
        for (int i = 0; i < 64; i++) {
            signature[i] = (byte) (seed * 3 + i);
        }
        return new SignatureCheck(message, pubkey, signature);
    }

    private static byte[] slice(ByteBuffer buffer, int from, int length) {
        byte[] out = new byte[length];
        buffer.get(from, out);
        return out;
    }

    @Test
    void packsARangeAsMessageKeySignatureRecordsFromTheStartOfTheBuffer() {
        List<SignatureCheck> checks = List.of(filled(10), filled(20), filled(30), filled(40));
        ByteBuffer target = ByteBuffer.allocateDirect(3 * SignatureRecords.RECORD_BYTES);
        target.position(17);

        SignatureRecords.pack(checks, 1, 3, target);

        for (int record = 0; record < 2; record++) {
            SignatureCheck check = checks.get(1 + record);
            int base = record * SignatureRecords.RECORD_BYTES;
            assertArrayEquals(check.message(), slice(target, base, 32));
            assertArrayEquals(check.pubkey(), slice(target, base + 32, 32));
            assertArrayEquals(check.signature(), slice(target, base + 64, 64));
        }
        assertEquals(0, target.get(2 * SignatureRecords.RECORD_BYTES), "nothing written past the range");
        assertEquals(17, target.position(), "absolute writes leave the position alone");
    }

    @Test
    void refusesABufferTooSmallOrABadRange() {
        List<SignatureCheck> checks = List.of(filled(1), filled(2));
        ByteBuffer small = ByteBuffer.allocate(SignatureRecords.RECORD_BYTES);
        assertThrows(IllegalArgumentException.class, () -> SignatureRecords.pack(checks, 0, 2, small));
        assertThrows(IllegalArgumentException.class, () -> SignatureRecords.pack(checks, 1, 3, small));
        assertThrows(IllegalArgumentException.class, () -> SignatureRecords.pack(checks, 2, 1, small));
    }

    @Test
    void byteCountsDoNotOverflow() {
        assertEquals(4_194_304L * 128, SignatureRecords.bytesFor(4_194_304));
        assertThrows(ArithmeticException.class, () -> SignatureRecords.bytesFor(Long.MAX_VALUE / 64));
    }
}
