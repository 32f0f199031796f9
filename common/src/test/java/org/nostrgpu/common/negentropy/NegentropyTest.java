package org.nostrgpu.common.negentropy;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Hex;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec against the protocol description, and reconciliations run to completion between two sets. */
class NegentropyTest {

    @Test
    void varintsAreBase128MostSignificantGroupFirst() throws Exception {
        assertEquals("00", varint(0));
        assertEquals("7f", varint(127));
        assertEquals("8100", varint(128));
        assertEquals("ff7f", varint(16_383));
        assertEquals("818000", varint(16_384));
        assertEquals("99aabf8800", varint(6_800_000_000L));
        MessageWriter out = new MessageWriter();
        out.writeVarint(1_700_000_000L);
        assertEquals(1_700_000_000L, new MessageReader(out.toByteArray()).readVarint());
    }

    @Test
    void fingerprintIsSha256OfTheLittleEndianSumModulo2To256AndTheCount() throws Exception {
        byte[] empty = sha256Prefix(new byte[32], (byte) 0);
        assertArrayEquals(empty, items().fingerprint(0, 0));
        byte[] allOnes = new byte[32];
        Arrays.fill(allOnes, (byte) 0xff);
        byte[] one = new byte[32];
        one[0] = 1;
        // (2^256 - 1) + 1 wraps to zero: every limb carries into the next and out of the top
        ItemSet wrapped = new ItemSet.Builder(2).add(1, allOnes).add(2, one).build();
        assertArrayEquals(sha256Prefix(new byte[32], (byte) 2), wrapped.fingerprint(0, 2));
        byte[] two = new byte[32];
        two[0] = 2;
        byte[] three = new byte[32];
        three[0] = 3;
        byte[] high = new byte[32];
        high[8] = 1; // 2^64: a carry from limb 0 must land here
        byte[] maxLimb0 = new byte[32];
        Arrays.fill(maxLimb0, 0, 8, (byte) 0xff);
        ItemSet sums = new ItemSet.Builder(2).add(1, maxLimb0).add(2, one).build();
        assertArrayEquals(sha256Prefix(high, (byte) 2), sums.fingerprint(0, 2));
        ItemSet small = new ItemSet.Builder(2).add(5, one).add(6, two).build();
        assertArrayEquals(sha256Prefix(three, (byte) 2), small.fingerprint(0, 2));
    }

    @Test
    void aSmallSetIsSentAsOneIdListUpToInfinity() {
        byte[] a = id(0x01);
        byte[] b = id(0x02);
        ItemSet set = new ItemSet.Builder(2).add(20, b).add(10, a).build();
        String expected = "61" + "00" + "00" + "02" + "02" + Hex.encode(a) + Hex.encode(b);
        assertEquals(expected, Hex.encode(new Negentropy(set, 0).initiate()));
    }

    @Test
    void boundsCarryTheTimestampDifferenceAndTheShortestIdPrefix() throws Exception {
        ItemSet.Builder builder = new ItemSet.Builder(64);
        for (int i = 0; i < 64; i++) {
            builder.add(1_000 + i / 2, id(i)); // pairs share a timestamp: bounds inside a pair need an id prefix
        }
        ItemSet set = builder.build();
        MessageReader in = new MessageReader(new Negentropy(set, 0).initiate());
        assertEquals(Negentropy.PROTOCOL_VERSION, in.readByte());
        List<Bound> bounds = new ArrayList<>();
        while (in.hasMore()) {
            bounds.add(in.readBound());
            assertEquals(1, in.readVarint());
            in.readBytes(16);
        }
        assertEquals(16, bounds.size());
        assertEquals(new Bound(1_002, new byte[0]), bounds.get(0)); // 4 items a bucket: the next starts a new second
        assertEquals(Bound.INFINITY, bounds.get(15));
        MessageWriter out = new MessageWriter();
        out.writeBound(new Bound(1_002, new byte[0]));
        out.writeBound(new Bound(1_004, new byte[] {7}));
        out.writeBound(Bound.INFINITY);
        // 1002 + 1; then 2 + 1 with a one-byte prefix; then 0 for infinity
        assertEquals(Hex.encode(concat(bytes(0x87, 0x6b), bytes(0x00), bytes(0x03, 0x01, 0x07), bytes(0x00, 0x00))),
                Hex.encode(out.toByteArray()));
    }

    @Test
    void identicalSetsAgreeInOneRound() throws Exception {
        ItemSet set = randomSet(new Random(1), 5_000, 0);
        Negentropy client = new Negentropy(set, 0);
        Negentropy server = new Negentropy(set, 0);
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        assertNull(client.next(server.respond(client.initiate()), have, need));
        assertTrue(have.isEmpty() && need.isEmpty());
    }

    @Test
    void reconciliationFindsExactlyTheDifferenceWithAndWithoutFrameLimits() throws Exception {
        for (int frameLimit : new int[] {0, 4_096, 60_000}) {
            Random random = new Random(frameLimit);
            ItemSet.Builder mine = new ItemSet.Builder(0);
            ItemSet.Builder theirs = new ItemSet.Builder(0);
            Set<String> onlyMine = new HashSet<>();
            Set<String> onlyTheirs = new HashSet<>();
            for (int i = 0; i < 20_000; i++) {
                long time = 1_700_000_000L + random.nextInt(5_000);
                byte[] id = new byte[32];
                random.nextBytes(id);
                int where = random.nextInt(100);
                if (where != 0) {
                    mine.add(time, id);
                } else {
                    onlyTheirs.add(Hex.encode(id));
                }
                if (where != 1) {
                    theirs.add(time, id);
                } else {
                    onlyMine.add(Hex.encode(id));
                }
            }
            Reconciled result = reconcile(mine.build(), theirs.build(), frameLimit);
            assertEquals(onlyMine, result.have(), "frame limit " + frameLimit);
            assertEquals(onlyTheirs, result.need(), "frame limit " + frameLimit);
            if (frameLimit != 0) {
                assertTrue(result.largestMessage() <= frameLimit, result.largestMessage() + " > " + frameLimit);
            }
        }
    }

    @Test
    void emptySidesLearnEverythingTheOtherHas() throws Exception {
        ItemSet some = randomSet(new Random(7), 1_000, 0);
        ItemSet none = new ItemSet.Builder(0).build();
        assertEquals(1_000, reconcile(none, some, 0).need().size());
        assertEquals(1_000, reconcile(some, none, 0).have().size());
    }

    @Test
    void aResponderAnswersAnotherVersionWithItsOwnVersionOnly() throws Exception {
        Negentropy server = new Negentropy(randomSet(new Random(3), 10, 0), 0);
        assertArrayEquals(new byte[] {0x61}, server.respond(new byte[] {0x62}));
        Negentropy client = new Negentropy(randomSet(new Random(3), 10, 0), 0);
        client.initiate();
        assertThrows(NegentropyException.class, () -> client.next(new byte[] {0x62}, new ArrayList<>(), new ArrayList<>()));
    }

    @Test
    void malformedMessagesAreRefused() {
        Negentropy server = new Negentropy(randomSet(new Random(4), 100, 0), 0);
        for (String bad : List.of("", "10", "61000001", "6100000301", "610021" + "00".repeat(33) + "00",
                "61000002" + "05" + "00".repeat(32), "6100000110", "61ffffffffffffffffffff01")) {
            assertThrows(NegentropyException.class, () -> server.respond(Hex.decode(bad)), bad);
        }
    }

    record Reconciled(Set<String> have, Set<String> need, int rounds, long bytes, int largestMessage) {
    }

    static Reconciled reconcile(ItemSet client, ItemSet server, int frameLimit) throws NegentropyException {
        Negentropy initiator = new Negentropy(client, frameLimit);
        Negentropy responder = new Negentropy(server, frameLimit);
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        byte[] message = initiator.initiate();
        int rounds = 0;
        long bytes = 0;
        int largest = 0;
        while (message != null) {
            rounds++;
            byte[] answer = responder.respond(message);
            bytes += message.length + answer.length;
            largest = Math.max(largest, Math.max(message.length, answer.length));
            message = initiator.next(answer, have, need);
            assertTrue(rounds < 100, "no end in sight");
        }
        Set<String> haveHex = new HashSet<>();
        have.forEach(id -> assertTrue(haveHex.add(Hex.encode(id)), "reported twice"));
        Set<String> needHex = new HashSet<>();
        need.forEach(id -> assertTrue(needHex.add(Hex.encode(id)), "reported twice"));
        return new Reconciled(haveHex, needHex, rounds, bytes, largest);
    }

    static ItemSet randomSet(Random random, int size, long baseTime) {
        ItemSet.Builder builder = new ItemSet.Builder(size);
        for (int i = 0; i < size; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            builder.add(baseTime + random.nextInt(1_000), id);
        }
        return builder.build();
    }

    private static ItemSet items() {
        return new ItemSet.Builder(0).build();
    }

    private static byte[] id(int first) {
        byte[] id = new byte[32];
        id[0] = (byte) first;
        id[31] = (byte) 0x5a;
        return id;
    }

    private static byte[] sha256Prefix(byte[] sum, byte countVarint) throws Exception {
        byte[] input = Arrays.copyOf(sum, 33);
        input[32] = countVarint;
        return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(input), 16);
    }

    private static String varint(long value) {
        MessageWriter out = new MessageWriter();
        out.writeVarint(value);
        return Hex.encode(out.toByteArray());
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        MessageWriter out = new MessageWriter();
        for (byte[] part : parts) {
            out.writeBytes(part, 0, part.length);
        }
        return out.toByteArray();
    }
}
