package org.nostrgpu.worker.cuda;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class VerdictCodesTest {

    @Test
    void onlyOneIsValidAndOnlyZeroIsInvalid() {
        for (int code = 0; code < 256; code++) {
            Verdict expected = code == 1 ? Verdict.VALID : code == 0 ? Verdict.INVALID : Verdict.NOT_VERIFIED;
            assertEquals(expected, VerdictCodes.decode((byte) code), "code " + code);
        }
    }

    @Test
    void decodesIntoTheRightPlaceAndCountsTheUnwritten() {
        ByteBuffer codes = ByteBuffer.wrap(new byte[]{1, 0, VerdictCodes.UNWRITTEN, 1, 7});
        Verdict[] into = new Verdict[7];
        int undecided = VerdictCodes.decode(codes, 4, into, 2);
        assertEquals(1, undecided);
        assertArrayEquals(new Verdict[]{null, null, Verdict.VALID, Verdict.INVALID, Verdict.NOT_VERIFIED,
                Verdict.VALID, null}, into);
    }
}
