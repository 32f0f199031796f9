package org.nostrgpu.common.verify;

import fr.acinq.secp256k1.Secp256k1;
import fr.acinq.secp256k1.Secp256k1Exception;

import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>A batch is cut into at most {@code threads} contiguous chunks, one pool task each. With one thread,
 * or a batch too small to be worth a hand-off, the caller's thread verifies it inline. The pool bounds how
 * many threads verify at once no matter how many callers share this verifier.
 */
public final class CpuSchnorrVerifier implements SignatureVerifier {
    /**
     * Fewest checks per chunk. One check costs tens of microseconds; handing a chunk to another thread
     * costs a few, so chunks smaller than this would spend a noticeable share on the hand-off.
     */
    static final int MIN_CHECKS_PER_CHUNK = 16;

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
    public List<Verdict> verify(List<SignatureCheck> checks) {
        if (closed) {
            return notVerified(checks.size());
        }
        int chunks = chunkCount(checks.size());
        if (chunks <= 1) {
            return Arrays.asList(verifyRange(checks, 0, checks.size()));
        }
        return verifyInParallel(checks, chunks);
    }

    @Override
    public String describe() {
        return "cpu(" + threads + " threads)";
    }

    public int threads() {
        return threads;
    }

    /** Stops the pool; later batches answer {@link Verdict#NOT_VERIFIED} so callers fall back. */
    @Override
    public void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private int chunkCount(int size) {
        if (pool == null) {
            return 1;
        }
        return Math.max(1, Math.min(threads, size / MIN_CHECKS_PER_CHUNK));
    }

    private List<Verdict> verifyInParallel(List<SignatureCheck> checks, int chunks) {
        int size = checks.size();
        List<Future<Verdict[]>> parts = new ArrayList<>(chunks);
        try {
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) size * c / chunks);
                int to = (int) ((long) size * (c + 1) / chunks);
                parts.add(pool.submit(() -> verifyRange(checks, from, to)));
            }
        } catch (RejectedExecutionException shutDownMeanwhile) {
            parts.forEach(part -> part.cancel(true));
            return notVerified(size);
        }
        Verdict[] all = new Verdict[size];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) size * c / chunks);
            Verdict[] part = await(parts.get(c), (int) ((long) size * (c + 1) / chunks) - from);
            System.arraycopy(part, 0, all, from, part.length);
        }
        return Arrays.asList(all);
    }

    /** A chunk that could not finish (interrupted caller, pool closed) is left undecided, never guessed. */
    private static Verdict[] await(Future<Verdict[]> part, int length) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            part.cancel(true);
        } catch (ExecutionException | CancellationException e) {
            // verifyRange catches every per-check failure, so this only happens when the pool is shut down
        }
        Verdict[] undecided = new Verdict[length];
        Arrays.fill(undecided, Verdict.NOT_VERIFIED);
        return undecided;
    }

    private Verdict[] verifyRange(List<SignatureCheck> checks, int from, int to) {
        Verdict[] verdicts = new Verdict[to - from];
        for (int i = from; i < to; i++) {
            verdicts[i - from] = verifyOne(checks.get(i));
        }
        return verdicts;
    }

    private Verdict verifyOne(SignatureCheck check) {
        try {
            return secp256k1.verifySchnorr(check.signature(), check.message(), check.pubkey())
                    ? Verdict.VALID : Verdict.INVALID;
        } catch (Secp256k1Exception | IllegalArgumentException malformed) {
            // libsecp256k1 refuses to parse e.g. an x coordinate that is not on the curve: a bad signature
            return Verdict.INVALID;
        }
    }

    private static List<Verdict> notVerified(int size) {
        Verdict[] verdicts = new Verdict[size];
        Arrays.fill(verdicts, Verdict.NOT_VERIFIED);
        return Arrays.asList(verdicts);
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
