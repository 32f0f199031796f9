package org.nostrgpu.common.verify;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link SignatureVerifier} is given: one or more runs of records, each with the place its verdict codes
 * ({@link Verdict#code()}) go. A worker merges several requests into one batch by their runs, never by per-event
 * objects: a run is a request's records {@code [first, first + n)} and its reply's verdict bytes. Positions
 * {@code 0 .. size()-1} number the records of all runs in order.
 *
 * <p>Verdict destinations start as {@link Verdict#NOT_VERIFIED} (zero) and a verifier writes only decisions
 * there, so a record it could not decide stays not verified.
 */
public final class SignatureBatch {

    /**
     * @param records       the run's records
     * @param verdicts      where the run's verdict codes go: record k's at {@code verdicts[verdictOffset + k]}
     * @param verdictOffset index of record 0's verdict
     */
    public record Run(SignatureRecords records, byte[] verdicts, int verdictOffset) {
        public Run {
            if (verdictOffset < 0 || verdictOffset > verdicts.length - records.count()) {
                throw new IllegalArgumentException("verdicts [" + verdictOffset + ", +" + records.count()
                        + ") do not fit an array of " + verdicts.length);
            }
        }
    }

    /** Receives the part of one run that falls in a range of batch positions. */
    @FunctionalInterface
    public interface PieceVisitor {
        /**
         * @param run         the run
         * @param firstInRun  the piece's first record, as an index into the run
         * @param length      records in the piece
         * @param rangeOffset the piece's first record, counted from the start of the visited range
         */
        void visit(Run run, int firstInRun, int length, int rangeOffset);
    }

    private final Run[] runs;
    /** starts[i]: batch position of run i's first record; starts[runs.length] = size. */
    private final int[] starts;

    private SignatureBatch(Run[] runs) {
        this.runs = runs;
        this.starts = new int[runs.length + 1];
        for (int i = 0; i < runs.length; i++) {
            starts[i + 1] = Math.addExact(starts[i], runs[i].records().count());
        }
    }

    /** A batch of the given runs, in order. */
    public static SignatureBatch of(List<Run> runs) {
        return new SignatureBatch(runs.toArray(new Run[0]));
    }

    /** A batch of one run: {@code records}' verdicts go to {@code verdicts[0 ..]}. */
    public static SignatureBatch of(SignatureRecords records, byte[] verdicts) {
        return new SignatureBatch(new Run[]{new Run(records, verdicts, 0)});
    }

    /** Records in all runs. */
    public int size() {
        return starts[runs.length];
    }

    public List<Run> runs() {
        return List.of(runs);
    }

    /** Visits, in order, the pieces of runs that hold batch positions {@code [from, from + length)}. */
    public void forEachPiece(int from, int length, PieceVisitor visitor) {
        if (from < 0 || length < 0 || from > size() - length) {
            throw new IndexOutOfBoundsException("positions [" + from + ", " + ((long) from + length) + ") of " + size());
        }
        if (length == 0) {
            return;
        }
        int end = from + length;
        for (int run = runContaining(from), position = from; position < end; run++) {
            int inRun = position - starts[run];
            int piece = Math.min(end, starts[run + 1]) - position;
            if (piece > 0) {
                visitor.visit(runs[run], inRun, piece, position - from);
                position += piece;
            }
        }
    }

    /** Copies the records at positions {@code [from, from + length)} as blocks into {@code target} from index 0. */
    public void copyRecords(int from, int length, ByteBuffer target) {
        forEachPiece(from, length, (run, first, n, offset) ->
                run.records().copyTo(first, n, target, offset * SignatureRecords.RECORD_BYTES));
    }

    /**
     * Copies verdict codes for positions {@code [from, from + length)} from {@code codes} (index 0 onwards) to
     * their runs' destinations. Only decisions are kept: any other byte is stored as NOT_VERIFIED, so a wrong or
     * unwritten code can never pass for a verdict.
     *
     * @return how many of them were not decisions
     */
    public int putVerdicts(int from, int length, ByteBuffer codes) {
        int[] undecided = new int[1];
        forEachPiece(from, length, (run, first, n, offset) -> {
            int at = run.verdictOffset() + first;
            codes.get(offset, run.verdicts(), at, n);
            undecided[0] += keepOnlyDecisions(run.verdicts(), at, n);
        });
        return undecided[0];
    }

    /** Sets every verdict of the batch to NOT_VERIFIED, e.g. when a device failed part-way through. */
    public void clearVerdicts() {
        for (Run run : runs) {
            Arrays.fill(run.verdicts(), run.verdictOffset(), run.verdictOffset() + run.records().count(),
                    Verdict.NOT_VERIFIED_CODE);
        }
    }

    /** The verdict at batch position {@code position} (for tests, tools and metrics). */
    public Verdict verdict(int position) {
        int run = runContaining(position);
        byte code = runs[run].verdicts()[runs[run].verdictOffset() + position - starts[run]];
        return Verdict.ofCode(code);
    }

    /** Counts of each verdict over the whole batch, indexed by {@link Verdict#ordinal()}. */
    public long[] countVerdicts() {
        long[] counts = new long[Verdict.values().length];
        for (Run run : runs) {
            for (int i = 0, at = run.verdictOffset(); i < run.records().count(); i++, at++) {
                Verdict verdict = Verdict.ofCode(run.verdicts()[at]);
                counts[(verdict == null ? Verdict.NOT_VERIFIED : verdict).ordinal()]++;
            }
        }
        return counts;
    }

    /** Every verdict in batch order (for tests and tools). */
    public List<Verdict> verdicts() {
        List<Verdict> all = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            all.add(verdict(i));
        }
        return all;
    }

    private static int keepOnlyDecisions(byte[] codes, int from, int length) {
        int undecided = 0;
        for (int i = from, end = from + length; i < end; i++) {
            byte code = codes[i];
            if (code != Verdict.VALID_CODE && code != Verdict.INVALID_CODE) {
                codes[i] = Verdict.NOT_VERIFIED_CODE;
                undecided++;
            }
        }
        return undecided;
    }

    private int runContaining(int position) {
        if (position < 0 || position >= size()) {
            throw new IndexOutOfBoundsException("position " + position + " of " + size());
        }
        int found = Arrays.binarySearch(starts, position);
        // an exact hit may be the start of empty runs too: take the last run starting here
        if (found >= 0) {
            while (found + 1 < runs.length && starts[found + 1] == position) {
                found++;
            }
            return found;
        }
        return -found - 2;
    }

    @Override
    public String toString() {
        return "SignatureBatch[" + size() + " records in " + runs.length + " runs]";
    }
}
