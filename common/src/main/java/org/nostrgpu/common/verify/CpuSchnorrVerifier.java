package org.nostrgpu.common.verify;

import fr.acinq.secp256k1.Secp256k1;
import fr.acinq.secp256k1.Secp256k1Exception;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BIP-340 verification with libsecp256k1 through JNI, spread over a fixed pool of daemon threads.
 *
 * <p>A batch is cut into at most {@code threads} contiguous ranges of positions, one pool task each. With one
 * thread, or a batch too small to be worth a hand-off, the caller's thread verifies it inline. The pool bounds how
 * many threads verify at once no matter how many callers share this verifier. Each task reads the records where
 * they lie and writes verdict codes straight to their destinations; it allocates three field buffers per task,
 * nothing per signature.
 */
public final class CpuSchnorrVerifier implements SignatureVerifier {
    /**
     * Fewest records per task. One check costs tens of microseconds; handing a range to another thread
     * costs a few, so ranges smaller than this would spend a noticeable share on the hand-off.
     */
    static final int MIN_RECORDS_PER_TASK = 16;

    private static final AtomicInteger POOL_SEQUENCE = new AtomicInteger();

    private final int threads;
    private final Secp256k1 secp256k1;
    private final ExecutorService pool;
    private volatile boolean closed;

    /** @param threads how many threads verify one batch in parallel (at least 1) */
    public CpuSchnorrVerifier(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("verifier threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        // Loads the native library now, so a missing one fails at start rather than on the first event.
        this.secp256k1 = Secp256k1.get();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, daemonThreads());
    }

    @Override
    public void verify(SignatureBatch batch) {
        if (closed) {
            batch.clearVerdicts(); // every verdict NOT_VERIFIED: callers fall back
            return;
        }
        int tasks = taskCount(batch.size());
        if (tasks <= 1) {
            verifyRange(batch, 0, batch.size());
        } else {
            verifyInParallel(batch, tasks);
        }
    }

    @Override
    public String describe() {
        return "cpu(" + threads + " threads)";
    }

    public int threads() {
        return threads;
    }

    /** Stops the pool; later batches are left NOT_VERIFIED so callers fall back. */
    @Override
    public void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private int taskCount(int size) {
        if (pool == null) {
            return 1;
        }
        return Math.max(1, Math.min(threads, size / MIN_RECORDS_PER_TASK));
    }

    private void verifyInParallel(SignatureBatch batch, int tasks) {
        int size = batch.size();
        List<Future<?>> parts = new ArrayList<>(tasks);
        try {
            for (int t = 0; t < tasks; t++) {
                int from = (int) ((long) size * t / tasks);
                int to = (int) ((long) size * (t + 1) / tasks);
                parts.add(pool.submit(() -> verifyRange(batch, from, to)));
            }
        } catch (RejectedExecutionException shutDownMeanwhile) {
            parts.forEach(part -> part.cancel(true));
            batch.clearVerdicts();
            return;
        }
        boolean complete = true;
        for (Future<?> part : parts) {
            complete &= await(part);
        }
        if (!complete) {
            // a range that could not finish is left undecided, never guessed: clear all, the caller falls back
            batch.clearVerdicts();
        }
    }

    private static boolean await(Future<?> part) {
        try {
            part.get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            part.cancel(true);
        } catch (ExecutionException | CancellationException e) {
            // verifyOne catches every per-record failure, so this only happens when the pool is shut down
        }
        return false;
    }

    private void verifyRange(SignatureBatch batch, int from, int to) {
        byte[] message = new byte[SignatureRecords.MESSAGE_BYTES];
        byte[] pubkey = new byte[SignatureRecords.PUBKEY_BYTES];
        byte[] signature = new byte[SignatureRecords.SIGNATURE_BYTES];
        batch.forEachPiece(from, to - from, (run, first, length, rangeOffset) -> {
            SignatureRecords records = run.records();
            byte[] verdicts = run.verdicts();
            for (int i = first, at = run.verdictOffset() + first, end = first + length; i < end; i++, at++) {
                records.message(i, message);
                records.pubkey(i, pubkey);
                records.signature(i, signature);
                verdicts[at] = verifyOne(message, pubkey, signature).code();
            }
        });
    }

    private Verdict verifyOne(byte[] message, byte[] pubkey, byte[] signature) {
        try {
            return secp256k1.verifySchnorr(signature, message, pubkey) ? Verdict.VALID : Verdict.INVALID;
        } catch (Secp256k1Exception | IllegalArgumentException malformed) {
            // libsecp256k1 refuses to parse e.g. an x coordinate that is not on the curve: a bad signature
            return Verdict.INVALID;
        }
    }

    private static ThreadFactory daemonThreads() {
        int pool = POOL_SEQUENCE.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "cpu-verifier-" + pool + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
