package org.nostrgpu.worker;

import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake backend for deterministic worker tests. Each check's verdict is scripted by the first byte of its
 * signature (1 valid, 2 invalid, anything else not verified); each batch's checks are recorded by their
 * {@link #label}. When gated, every batch waits for a {@link #release} permit, so a test can hold the backend busy
 * while requests accumulate. It can also be told to throw on the next batches.
 */
final class ScriptedVerifier implements SignatureVerifier {
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore permits = new Semaphore(0);
    private final boolean gated;
    private final AtomicInteger failuresToThrow = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    ScriptedVerifier(boolean gated) {
        this.gated = gated;
    }

    /** A check labelled {@code request/index} whose verdict will be {@code verdict}. */
    static SignatureCheck check(String request, int index, Verdict verdict) {
        byte[] message = new byte[32];
        byte[] label = (request + "/" + index).getBytes();
        System.arraycopy(label, 0, message, 0, label.length);
        byte[] signature = new byte[64];
        signature[0] = switch (verdict) {
            case VALID -> 1;
            case INVALID -> 2;
            case NOT_VERIFIED -> 0;
        };
        return new SignatureCheck(message, new byte[32], signature);
    }

    static String label(SignatureCheck check) {
        int end = 0;
        while (end < 32 && check.message()[end] != 0) {
            end++;
        }
        return new String(check.message(), 0, end);
    }

    @Override
    public List<Verdict> verify(List<SignatureCheck> checks) {
        batches.add(checks.stream().map(ScriptedVerifier::label).toList());
        if (gated) {
            try {
                if (!permits.tryAcquire(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test never released the batch");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("scripted device failure");
        }
        return checks.stream().map(check -> switch (check.signature()[0]) {
            case 1 -> Verdict.VALID;
            case 2 -> Verdict.INVALID;
            default -> Verdict.NOT_VERIFIED;
        }).toList();
    }

    void release(int batchCount) {
        permits.release(batchCount);
    }

    void failNext(int batchCount) {
        failuresToThrow.set(batchCount);
    }

    /** Labels of each batch's checks, in the order the batches reached the backend. */
    List<List<String>> batches() {
        synchronized (batches) {
            return List.copyOf(batches);
        }
    }

    boolean closed() {
        return closed.get();
    }

    @Override
    public String describe() {
        return "scripted(test)";
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
