package org.nostrgpu.relay.connection;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stored queries (REQ and COUNT) run at most {@code slots} at once, the waiting ones taken round-robin by client
 * address. The node has one over all its connections, with a slot per read connection: many expensive queries from
 * one address wait behind each other, and a query from any other address gets the next free slot. Each connection
 * has one too, with {@code max-concurrent-queries-per-connection} slots, so one client never holds more read
 * connections than that. Thread-safe.
 */
public final class FairQueries {
    private final int slots;
    /** Waiting queries by address; iteration order is the round-robin order. */
    private final Map<String, ArrayDeque<Runnable>> waiting = new LinkedHashMap<>();
    private int running;

    public FairQueries(int slots) {
        this.slots = slots;
    }

    /** Runs {@code query} for a client at {@code address} when its turn comes. */
    public <T> Future<T> submit(String address, Supplier<Future<T>> query) {
        Promise<T> result = Promise.promise();
        Runnable start = () -> {
            Future<T> started;
            try {
                started = query.get();
            } catch (RuntimeException e) {
                started = Future.failedFuture(e);
            }
            started.onComplete(done -> {
                finished();
                result.handle(done);
            });
        };
        boolean now;
        synchronized (this) {
            now = running < slots;
            if (now) {
                running++;
            } else {
                waiting.computeIfAbsent(address, key -> new ArrayDeque<>()).add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result.future();
    }

    private void finished() {
        Runnable next = null;
        synchronized (this) {
            Iterator<Map.Entry<String, ArrayDeque<Runnable>>> addresses = waiting.entrySet().iterator();
            if (addresses.hasNext()) {
                Map.Entry<String, ArrayDeque<Runnable>> first = addresses.next();
                next = first.getValue().poll();
                addresses.remove();
                if (!first.getValue().isEmpty()) {
                    waiting.put(first.getKey(), first.getValue()); // to the back of the round
                }
            } else {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }
}
