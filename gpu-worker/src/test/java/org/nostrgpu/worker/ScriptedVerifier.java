package org.nostrgpu.worker;

import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.SignatureVerifier;
import org.nostrgpu.common.verify.Verdict;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake backend for deterministic worker tests. Each record's verdict is scripted by the first byte of its
 * signature (1 valid, 2 invalid, anything else not verified); each batch's records are recorded by their
 * {@link #label}. When gated, every batch waits for a {@link #release} permit, so a test can hold the backend busy
 * while requests accumulate. It can also be told to throw on the next batches.
 */
final class ScriptedVerifier implements SignatureVerifier {
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore permits = new Semaphore(0);
    private final boolean gated;
    private final String name;
    private final AtomicInteger failuresToThrow = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    ScriptedVerifier(boolean gated) {
        this(gated, "scripted(test)");
    }

    ScriptedVerifier(boolean gated, String name) {
        this.gated = gated;
        this.name = name;
    }

    /** A check labelled {@code request/index} whose verdict will be {@code verdict}. */
    static SignatureCheck check(String request, int index, Verdict verdict) {
        byte[] message = new byte[32];
        byte[] label = (request + "/" + index).getBytes();
        System.arraycopy(label, 0, message, 0, label.length);
        byte[] signature = new byte[64];
        signature[0] = verdict.code();
        return new SignatureCheck(message, new byte[32], signature);
    }

    static String label(byte[] message) {
        int end = 0;
        while (end < 32 && message[end] != 0) {
            end++;
        }
        return new String(message, 0, end);
    }

    @Override
    public void verify(SignatureBatch batch) {
        List<String> labels = new ArrayList<>(batch.size());
        byte[] codes = new byte[batch.size()];
        byte[] message = new byte[32];
        byte[] signature = new byte[64];
        batch.forEachPiece(0, batch.size(), (run, first, length, offset) -> {
            SignatureRecords records = run.records();
            for (int i = 0; i < length; i++) {
                records.message(first + i, message);
                records.signature(first + i, signature);
                labels.add(label(message));
                codes[offset + i] = signature[0];
            }
        });
        batches.add(List.copyOf(labels));
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
        batch.putVerdicts(0, batch.size(), ByteBuffer.wrap(codes));
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
        return name;
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
