package org.nostrgpu.common.batch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class AdaptiveBatcherConcurrencyTest {

    @Test
    void manySubmittersNeverExceedTheLimitsAndEveryItemGetsItsOwnResult() throws Exception {
        int maxBatchSize = 16;
        int maxInFlight = 2;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger largestBatch = new AtomicInteger();
        ExecutorService backend = Executors.newFixedThreadPool(3);
        AdaptiveBatcher<Integer, Integer> batcher = new AdaptiveBatcher<>("stress", maxBatchSize, maxInFlight,
                AdaptiveBatcher.UNBOUNDED, batch -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            largestBatch.accumulateAndGet(batch.size(), Math::max);
            Promise<List<Integer>> reply = Promise.promise();
            backend.execute(() -> {
                List<Integer> negated = batch.stream().map(i -> -i).toList();
                running.decrementAndGet();
                reply.complete(negated);
            });
            return reply.future();
        });

        int submitters = 4;
        int perSubmitter = 5_000;
        CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int base = s * perSubmitter;
            threads.add(started(() -> {
                for (int i = base; i < base + perSubmitter; i++) {
                    int item = i;
                    batcher.submit(item).onComplete(r -> {
                        if (r.failed() || r.result() != -item) {
                            wrong.incrementAndGet();
                        }
                        done.countDown();
                    });
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        try {
            assertTrue(done.await(30, TimeUnit.SECONDS), "every item completes");
        } finally {
            backend.shutdownNow();
        }
        assertEquals(0, wrong.get());
        assertTrue(mostRunning.get() <= maxInFlight, "in flight at once: " + mostRunning.get());
        assertTrue(largestBatch.get() <= maxBatchSize, "largest batch: " + largestBatch.get());
        assertEquals(submitters * perSubmitter, batcher.itemsSent());
        assertEquals(0, batcher.inFlightBatches());
        assertEquals(0, batcher.queuedItems());
    }

    @Test
    void resultsArriveOnTheContextThatSubmitted(Vertx vertx, VertxTestContext test) {
        List<Promise<List<String>>> replies = new ArrayList<>();
        AdaptiveBatcher<String, String> batcher = new AdaptiveBatcher<>("context", 8, 1, 100, batch -> {
            Promise<List<String>> reply = Promise.promise();
            synchronized (replies) {
                replies.add(reply);
            }
            // the backend answers from a thread that belongs to no Vert.x context
            started(() -> reply.complete(batch.stream().map(String::toUpperCase).toList()));
            return reply.future();
        });
        Context eventLoop = vertx.getOrCreateContext();
        eventLoop.runOnContext(v -> {
            Future<String> a = batcher.submit("a");
            Future<String> b = batcher.submit("b");
            Future.all(a, b).onComplete(test.succeeding(all -> test.verify(() -> {
                assertTrue(Vertx.currentContext() == eventLoop, "completed on the submitting context");
                assertEquals("A", a.result());
                assertEquals("B", b.result());
                test.completeNow();
            })));
        });
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }
}
