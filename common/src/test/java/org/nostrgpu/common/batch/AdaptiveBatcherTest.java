package org.nostrgpu.common.batch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deterministic: the fake processor's batches complete only when a test completes them. */
class AdaptiveBatcherTest {

    /** Records each batch it is given; results are the items doubled. */
    static final class ManualProcessor {
        final List<List<Integer>> batches = new ArrayList<>();
        final List<Promise<List<Integer>>> replies = new ArrayList<>();

        Future<List<Integer>> process(List<Integer> batch) {
            batches.add(List.copyOf(batch));
            Promise<List<Integer>> reply = Promise.promise();
            replies.add(reply);
            return reply.future();
        }

        void answer(int batchIndex) {
            replies.get(batchIndex).complete(batches.get(batchIndex).stream().map(i -> i * 2).toList());
        }
    }

    private final ManualProcessor processor = new ManualProcessor();

    private AdaptiveBatcher<Integer, Integer> batcher(int maxBatchSize, int maxInFlight, int maxQueued) {
        return new AdaptiveBatcher<>("test", maxBatchSize, maxInFlight, maxQueued, processor::process);
    }

    @Test
    void anItemSubmittedWhileIdleIsSentAtOnceAlone() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 1, AdaptiveBatcher.UNBOUNDED);
        Future<Integer> result = batcher.submit(1);

        assertEquals(List.of(List.of(1)), processor.batches);
        assertEquals(1, batcher.inFlightBatches());
        assertEquals(0, batcher.queuedItems());
        assertFalse(result.isComplete());

        processor.answer(0);
        assertEquals(2, result.result());
        assertEquals(0, batcher.inFlightBatches());
    }

    @Test
    void itemsAccumulateWhileBusyAndGoTogetherWhenTheReplyArrives() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 1, AdaptiveBatcher.UNBOUNDED);
        Future<Integer> first = batcher.submit(1);
        List<Future<Integer>> later = List.of(batcher.submit(2), batcher.submit(3), batcher.submit(4));

        assertEquals(1, processor.batches.size(), "nothing more is sent while the only slot is busy");
        assertEquals(3, batcher.queuedItems());

        processor.answer(0);
        assertEquals(2, first.result());
        assertEquals(List.of(List.of(1), List.of(2, 3, 4)), processor.batches);
        assertEquals(0, batcher.queuedItems());
        assertEquals(1, batcher.inFlightBatches());

        processor.answer(1);
        assertEquals(List.of(4, 6, 8), later.stream().map(Future::result).toList());
        assertEquals(2, batcher.batchesSent());
        assertEquals(4, batcher.itemsSent());
    }

    @Test
    void moreWaitingItemsThanABatchHoldAreSplitAcrossFreeSlotsInOrder() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(3, 1, AdaptiveBatcher.UNBOUNDED);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            results.add(batcher.submit(i));
        }
        assertEquals(7, batcher.queuedItems());

        processor.answer(0);
        assertEquals(List.of(2, 3, 4), processor.batches.get(1), "a full batch goes as soon as a slot frees");
        assertEquals(4, batcher.queuedItems(), "the rest waits for the next slot");

        processor.answer(1);
        assertEquals(List.of(5, 6, 7), processor.batches.get(2));
        processor.answer(2);
        assertEquals(List.of(8), processor.batches.get(3));
        processor.answer(3);

        assertEquals(4, processor.batches.size());
        for (int i = 0; i < results.size(); i++) {
            assertEquals((i + 1) * 2, results.get(i).result());
        }
    }

    @Test
    void aFullBatchIsSentTheMomentASlotIsFreeEvenWithTwoSlots() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(2, 2, AdaptiveBatcher.UNBOUNDED);
        batcher.submit(1);
        batcher.submit(2);
        for (int i = 3; i <= 7; i++) {
            batcher.submit(i);
        }
        assertEquals(2, processor.batches.size());

        processor.answer(1);
        assertEquals(List.of(3, 4), processor.batches.get(2));
        assertEquals(2, batcher.inFlightBatches());
        processor.answer(0);
        assertEquals(List.of(5, 6), processor.batches.get(3));
        assertEquals(1, batcher.queuedItems());
    }

    @Test
    void twoSlotsKeepTwoBatchesInFlight() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 2, AdaptiveBatcher.UNBOUNDED);
        batcher.submit(1);
        batcher.submit(2);
        batcher.submit(3);
        batcher.submit(4);

        assertEquals(List.of(List.of(1), List.of(2)), processor.batches, "the second slot is used at once too");
        assertEquals(2, batcher.inFlightBatches());
        assertEquals(2, batcher.queuedItems());

        processor.answer(0);
        assertEquals(List.of(3, 4), processor.batches.get(2));
        assertEquals(2, batcher.inFlightBatches());
    }

    @Test
    void aFailedBatchFailsOnlyItsOwnItems() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 1, AdaptiveBatcher.UNBOUNDED);
        Future<Integer> first = batcher.submit(1);
        Future<Integer> second = batcher.submit(2);
        Future<Integer> third = batcher.submit(3);

        RuntimeException boom = new RuntimeException("backend gone");
        processor.replies.get(0).fail(boom);
        assertSame(boom, first.cause());
        assertFalse(second.isComplete());

        processor.answer(1);
        assertEquals(4, second.result());
        assertEquals(6, third.result());
        assertEquals(0, batcher.inFlightBatches());
    }

    @Test
    void aWrongNumberOfResultsFailsTheWholeBatch() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 1, AdaptiveBatcher.UNBOUNDED);
        batcher.submit(1);
        Future<Integer> a = batcher.submit(2);
        Future<Integer> b = batcher.submit(3);
        processor.answer(0);

        processor.replies.get(1).complete(List.of(99));
        assertInstanceOf(IllegalStateException.class, a.cause());
        assertTrue(a.cause().getMessage().contains("1 results for 2 items"), a.cause().getMessage());
        assertSame(a.cause(), b.cause());
        assertEquals(0, batcher.inFlightBatches());
    }

    @Test
    void aProcessorThatThrowsFailsItsBatchAndFreesTheSlot() {
        List<List<Integer>> seen = new ArrayList<>();
        AdaptiveBatcher<Integer, Integer> batcher = new AdaptiveBatcher<>("throwing", 10, 1, 10, batch -> {
            seen.add(batch);
            if (batch.contains(13)) {
                throw new IllegalArgumentException("unlucky");
            }
            return Future.succeededFuture(batch);
        });
        Future<Integer> bad = batcher.submit(13);
        assertInstanceOf(IllegalArgumentException.class, bad.cause());
        assertEquals(0, batcher.inFlightBatches());

        assertEquals(7, batcher.submit(7).result());
        assertEquals(2, seen.size());
    }

    @Test
    void pastTheQueueLimitSubmitFailsAtOnceAndRecoversAfterwards() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 1, 2);
        batcher.submit(1);
        batcher.submit(2);
        batcher.submit(3);

        Future<Integer> refused = batcher.submit(4);
        assertTrue(refused.failed());
        BatcherOverloadedException overload = assertInstanceOf(BatcherOverloadedException.class, refused.cause());
        assertEquals(2, overload.maxQueued());
        assertTrue(overload.getMessage().startsWith("test is overloaded"), overload.getMessage());
        assertEquals(1, batcher.itemsRejected());
        assertEquals(2, batcher.queuedItems());

        processor.answer(0);
        Future<Integer> accepted = batcher.submit(5);
        assertFalse(accepted.failed());
        assertEquals(List.of(2, 3), processor.batches.get(1));
        assertEquals(1, batcher.queuedItems());
    }

    @Test
    void withNoQueueItemsGoOnlyIntoFreeSlots() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 2, 0);
        assertFalse(batcher.submit(1).failed());
        assertFalse(batcher.submit(2).failed());
        assertInstanceOf(BatcherOverloadedException.class, batcher.submit(3).cause());
        processor.answer(1);
        assertFalse(batcher.submit(4).failed());
        assertEquals(List.of(List.of(1), List.of(2), List.of(4)), processor.batches);
    }

    @Test
    void aProcessorThatCompletesSynchronouslyStillWorks() {
        AdaptiveBatcher<Integer, Integer> batcher = new AdaptiveBatcher<>("sync", 10, 1, 0,
                batch -> Future.succeededFuture(batch.stream().map(i -> -i).toList()));
        for (int i = 0; i < 5; i++) {
            assertEquals(-i, batcher.submit(i).result());
        }
        assertEquals(5, batcher.batchesSent());
    }

    @Test
    void refusesNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> batcher(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> batcher(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> batcher(1, 1, -1));
    }
}
