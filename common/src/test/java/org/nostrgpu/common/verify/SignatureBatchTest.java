package org.nostrgpu.common.verify;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Records viewed and merged by runs: the positions, the block copies and where the verdicts land. */
class SignatureBatchTest {

    /** Record i's bytes are all (byte) i, so a copied block shows which records it holds. */
    private static SignatureRecords numbered(int first, int count) {
        byte[] bytes = new byte[count * SignatureRecords.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            Arrays.fill(bytes, i * SignatureRecords.RECORD_BYTES, (i + 1) * SignatureRecords.RECORD_BYTES,
                    (byte) (first + i));
        }
        return SignatureRecords.view(ByteBuffer.wrap(bytes));
    }

    @Test
    void aViewIsAWholeNumberOfRecordsAndItsFieldsAreWhereTheLayoutSays() {
        assertThrows(IllegalArgumentException.class, () -> SignatureRecords.view(ByteBuffer.allocate(129)));
        byte[] message = new byte[32];
        byte[] pubkey = new byte[32];
        byte[] signature = new byte[64];
        Arrays.fill(message, (byte) 1);
        Arrays.fill(pubkey, (byte) 2);
        Arrays.fill(signature, (byte) 3);
        SignatureRecords records = SignatureRecords.of(List.of(new SignatureCheck(message, pubkey, signature)));
        byte[] raw = new byte[128];
        records.copyTo(0, 1, ByteBuffer.wrap(raw), 0);
        assertEquals(1, raw[SignatureRecords.MESSAGE_OFFSET + 31]);
        assertEquals(2, raw[SignatureRecords.PUBKEY_OFFSET]);
        assertEquals(3, raw[SignatureRecords.SIGNATURE_OFFSET + 63]);
        assertArrayEquals(pubkey, records.check(0).pubkey());
        assertThrows(IllegalArgumentException.class, () -> records.pubkey(0, new byte[31]));
        assertEquals(4_194_304L * 128, SignatureRecords.bytesFor(4_194_304));
        assertThrows(ArithmeticException.class, () -> SignatureRecords.bytesFor(Long.MAX_VALUE / 64));
    }

    @Test
    void runsOfSeveralRequestsAreCopiedAsBlocksInBatchOrder() {
        byte[] verdictsA = new byte[10];
        byte[] verdictsB = new byte[3];
        SignatureBatch batch = SignatureBatch.of(List.of(
                new SignatureBatch.Run(numbered(0, 10).slice(6, 4), verdictsA, 6),
                new SignatureBatch.Run(numbered(100, 3), verdictsB, 0)));
        assertEquals(7, batch.size());

        ByteBuffer staging = ByteBuffer.allocateDirect(5 * SignatureRecords.RECORD_BYTES);
        batch.copyRecords(2, 5, staging);
        List<Integer> firstBytes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            firstBytes.add((int) staging.get(i * SignatureRecords.RECORD_BYTES));
        }
        assertEquals(List.of(8, 9, 100, 101, 102), firstBytes, "the tail of A's run, then B's run");
    }

    @Test
    void verdictCodesLandAtTheirRunsDestinationsAndOnlyDecisionsAreKept() {
        byte[] verdictsA = new byte[8];
        byte[] verdictsB = new byte[4];
        SignatureBatch batch = SignatureBatch.of(List.of(
                new SignatureBatch.Run(numbered(0, 3), verdictsA, 5),
                new SignatureBatch.Run(numbered(0, 4).slice(1, 3), verdictsB, 1)));
        ByteBuffer codes = ByteBuffer.wrap(new byte[]{2, 0, 1, 1, 9});
        int undecided = batch.putVerdicts(1, 5, codes);
        assertEquals(2, undecided, "a zero and a stray 9");
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0, 2, 0}, verdictsA);
        assertArrayEquals(new byte[]{0, 1, 1, 0}, verdictsB, "the stray 9 is stored as not verified");
        assertEquals(List.of(Verdict.NOT_VERIFIED, Verdict.INVALID, Verdict.NOT_VERIFIED, Verdict.VALID,
                Verdict.VALID, Verdict.NOT_VERIFIED), batch.verdicts());
        assertEquals(2, batch.countVerdicts()[Verdict.VALID.ordinal()]);

        batch.clearVerdicts();
        assertArrayEquals(new byte[8], verdictsA);
        assertArrayEquals(new byte[4], verdictsB);
    }

    @Test
    void piecesCoverExactlyTheAskedPositionsAcrossEmptyAndShortRuns() {
        SignatureBatch batch = SignatureBatch.of(List.of(
                new SignatureBatch.Run(numbered(0, 2), new byte[2], 0),
                new SignatureBatch.Run(numbered(0, 0), new byte[0], 0),
                new SignatureBatch.Run(numbered(0, 1), new byte[1], 0),
                new SignatureBatch.Run(numbered(0, 5), new byte[5], 0)));
        List<String> pieces = new ArrayList<>();
        batch.forEachPiece(1, 5, (run, first, length, offset) ->
                pieces.add(run.records().count() + ":" + first + "+" + length + "@" + offset));
        assertEquals(List.of("2:1+1@0", "1:0+1@1", "5:0+3@2"), pieces);
        batch.forEachPiece(8, 0, (run, first, length, offset) -> pieces.add("none"));
        assertEquals(3, pieces.size());
        assertThrows(IndexOutOfBoundsException.class, () -> batch.forEachPiece(4, 5, (r, f, l, o) -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> new SignatureBatch.Run(numbered(0, 3), new byte[3], 1), "verdicts past the array");
    }
}
