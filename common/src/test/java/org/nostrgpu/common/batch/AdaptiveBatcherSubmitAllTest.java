package org.nostrgpu.common.batch;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deterministic: the fake processor's batches complete only when a test completes them. */
class AdaptiveBatcherSubmitAllTest {
    private final AdaptiveBatcherTest.ManualProcessor processor = new AdaptiveBatcherTest.ManualProcessor();

    private AdaptiveBatcher<Integer, Integer> batcher(int maxBatchSize, int maxInFlight, int maxQueued) {
        return new AdaptiveBatcher<>("test", maxBatchSize, maxInFlight, maxQueued, processor::process);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void aGroupSubmittedWhileIdleFillsTheFreeSlotsWithFullBatches() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(3, 2, AdaptiveBatcher.UNBOUNDED);
        List<Future<Integer>> results = batcher.submitAll(range(0, 8));

        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5)), processor.batches,
                "not one item alone per slot: the group goes out in full batches");
        assertEquals(2, batcher.queuedItems());

        processor.answer(0);
        assertEquals(List.of(6, 7), processor.batches.get(2), "the rest goes when a slot frees");
        processor.answer(1);
        processor.answer(2);
        assertEquals(range(0, 8).stream().map(i -> i * 2).toList(), results.stream().map(Future::result).toList());
    }

    @Test
    void groupsFromDifferentCallersShareABatchAndEachGetsItsOwnResults() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(100, 1, AdaptiveBatcher.UNBOUNDED);
        List<Future<Integer>> first = batcher.submitAll(range(0, 2));
        List<Future<Integer>> second = batcher.submitAll(range(10, 13));
        List<Future<Integer>> third = batcher.submitAll(range(20, 21));

        processor.answer(0);
        assertEquals(List.of(10, 11, 12, 20), processor.batches.get(1));
        processor.answer(1);
        assertEquals(List.of(0, 2), first.stream().map(Future::result).toList());
        assertEquals(List.of(20, 22, 24), second.stream().map(Future::result).toList());
        assertEquals(List.of(40), third.stream().map(Future::result).toList());
    }

    @Test
    void aGroupThatWouldOverfillTheQueueIsRefusedWholeAndTakesNothing() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(2, 1, 3);
        batcher.submitAll(range(0, 5)); // 2 sent, 3 waiting: the queue is full

        List<Future<Integer>> refused = batcher.submitAll(range(5, 6));
        assertTrue(refused.get(0).failed());
        assertInstanceOf(BatcherOverloadedException.class, refused.get(0).cause());
        assertEquals(3, batcher.queuedItems(), "a refused group leaves nothing behind");
        assertEquals(1, batcher.itemsRejected());

        processor.answer(0); // two more sent, one waiting: room for two
        List<Future<Integer>> tooMany = batcher.submitAll(range(6, 9));
        assertTrue(tooMany.stream().allMatch(Future::failed));
        List<Future<Integer>> fits = batcher.submitAll(range(6, 8));
        assertTrue(fits.stream().noneMatch(Future::isComplete));
        assertEquals(3, batcher.queuedItems());
    }

    @Test
    void aGroupLargerThanTheQueueIsAcceptedWhenFreeSlotsTakeTheExcess() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(4, 2, 2);
        assertTrue(batcher.submitAll(range(0, 10)).stream().noneMatch(Future::failed));
        assertEquals(2, batcher.queuedItems());
        assertTrue(batcher.submitAll(range(10, 11)).get(0).failed());
    }

    @Test
    void aFailedBatchFailsOnlyTheItemsItHeld() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(2, 2, AdaptiveBatcher.UNBOUNDED);
        List<Future<Integer>> results = batcher.submitAll(range(0, 4));
        processor.replies.get(0).fail("device lost");
        processor.answer(1);
        assertEquals(List.of(true, true, false, false), results.stream().map(Future::failed).toList());
        assertEquals(List.of(4, 6), results.subList(2, 4).stream().map(Future::result).toList());
    }

    @Test
    void anEmptyGroupIsNoWork() {
        AdaptiveBatcher<Integer, Integer> batcher = batcher(2, 1, 0);
        assertEquals(List.of(), batcher.submitAll(List.of()));
        assertEquals(0, processor.batches.size());
    }
}
