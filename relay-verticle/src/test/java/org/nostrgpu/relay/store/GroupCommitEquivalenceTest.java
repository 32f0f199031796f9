package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.store.StoreTesting.NOW;
import static org.nostrgpu.relay.store.StoreTesting.await;

/**
 * Events that interact (versions of one replaceable or addressable event, deletions by id and by address arriving
 * before or after their targets, duplicates) give the same outcomes and the same stored set whether stored one by
 * one, all in one transaction, or concurrently (grouped however the writer groups them).
 */
@ExtendWith(VertxExtension.class)
class GroupCommitEquivalenceTest {
    private static final int ALL = 10_000;

    @Test
    void oneTransactionAndConcurrentStoresMatchOneByOne(Vertx vertx, @TempDir Path dir) {
        List<EventSigner> signers = List.of(EventSigner.random(), EventSigner.random(), EventSigner.random());
        for (long seed = 1; seed <= 4; seed++) {
            List<Event> sequence = interactingSequence(new Random(seed), signers);

            SqliteEventStore oneByOne = open(vertx, dir, "one-by-one-" + seed);
            List<StoreOutcome> expected = new ArrayList<>();
            for (Event event : sequence) {
                expected.add(await(oneByOne.store(event)));
            }
            List<String> expectedStored = everything(oneByOne);

            SqliteEventStore grouped = open(vertx, dir, "grouped-" + seed);
            List<PendingWrite> group = sequence.stream().map(PendingWrite::of).toList();
            assertSameOutcomes(expected, await(grouped.writeBatch(group)), sequence, "one transaction, seed " + seed);
            assertEquals(expectedStored, everything(grouped), "one transaction, seed " + seed);

            SqliteEventStore concurrent = open(vertx, dir, "concurrent-" + seed);
            List<Future<StoreOutcome>> futures = sequence.stream().map(concurrent::store).toList();
            assertSameOutcomes(expected, futures.stream().map(StoreTesting::await).toList(), sequence,
                    "concurrent, seed " + seed);
            assertEquals(expectedStored, everything(concurrent), "concurrent, seed " + seed);
            assertTrue(concurrent.writeTransactions() < sequence.size(), "concurrent stores were grouped");

            assertTrue(expected.stream().distinct().count() == StoreOutcome.values().length,
                    "the sequence exercises every outcome: " + expected);
            await(oneByOne.close());
            await(grouped.close());
            await(concurrent.close());
        }
    }

    private static void assertSameOutcomes(List<StoreOutcome> expected, List<StoreOutcome> actual, List<Event> sequence,
                                           String how) {
        assertEquals(expected.size(), actual.size(), how);
        for (int i = 0; i < expected.size(); i++) {
            Event event = sequence.get(i);
            assertEquals(expected.get(i), actual.get(i), how + ": event " + i + " of kind " + event.kind()
                    + " created_at " + event.createdAt() + " tags " + event.tags() + " id " + event.id());
        }
    }

    private static SqliteEventStore open(Vertx vertx, Path dir, String name) {
        return await(SqliteEventStore.open(vertx, StoreOptions.forFile(dir.resolve(name + ".sqlite3"), 2, 1000)));
    }

    private static List<String> everything(SqliteEventStore store) {
        return await(store.query(List.of(StoreTesting.filter()), ALL, NOW));
    }

    /** Re-sent events, several versions per address, and deletions by id and address pointing back and forward. */
    static List<Event> interactingSequence(Random random, List<EventSigner> signers) {
        List<Event> pool = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            EventSigner signer = signers.get(random.nextInt(signers.size()));
            long createdAt = NOW - 100 + random.nextInt(20);
            switch (random.nextInt(4)) {
                case 0 -> pool.add(signer.sign(createdAt, 1, List.of(List.of("t", "n" + random.nextInt(3))), "note " + i));
                case 1 -> pool.add(signer.sign(createdAt, random.nextBoolean() ? 0 : 10002, List.of(), "profile " + i));
                case 2 -> pool.add(signer.sign(createdAt, 30000,
                        random.nextBoolean() ? List.of(List.of("d", "d" + random.nextInt(2))) : List.of(), "list " + i));
                default -> pool.add(signer.sign(createdAt, 7, List.of(List.of("e", "0".repeat(64))), "+"));
            }
        }
        List<Event> deletions = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            EventSigner signer = signers.get(random.nextInt(signers.size()));
            Event target = pool.get(random.nextInt(pool.size()));
            List<List<String>> tags = new ArrayList<>();
            tags.add(List.of("e", target.id()));
            if (random.nextBoolean()) {
                // an address of the deleter's own or another's; d0 or the empty d of replaceable kinds
                EventSigner owner = random.nextBoolean() ? signer : signers.get(random.nextInt(signers.size()));
                tags.add(random.nextBoolean() ? List.of("a", "30000:" + owner.pubkey() + ":d" + random.nextInt(2))
                        : List.of("a", (random.nextBoolean() ? "0:" : "10002:") + owner.pubkey() + ":"));
            }
            if (random.nextInt(4) == 0 && !deletions.isEmpty()) {
                tags.add(List.of("e", deletions.get(random.nextInt(deletions.size())).id()));
            }
            deletions.add(signer.sign(NOW - 100 + random.nextInt(20), 5, tags, ""));
        }
        List<Event> sequence = new ArrayList<>();
        List<Event> everything = new ArrayList<>(pool);
        everything.addAll(deletions);
        for (int i = 0; i < 120; i++) {
            sequence.add(everything.get(random.nextInt(everything.size())));
        }
        return sequence;
    }
}
