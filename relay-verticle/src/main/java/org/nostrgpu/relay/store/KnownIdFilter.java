package org.nostrgpu.relay.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Bloom filter over the event ids the store may know (stored, or deleted by their author), so the duplicate
 * check of a new event, which is most of them, needs no SQLite query: "absent" is certain, "present" is checked in
 * the database. Thread-safe; bits are only ever set, so a concurrent reader sees an id at the latest once its
 * {@link #add} returned.
 *
 * <p>It grows by layers: when the newest layer holds as many ids as it was sized for, a layer twice as large is
 * added, so the false-positive rate stays near {@link #BITS_PER_ID}'s 1% per layer without knowing the final
 * size. Ids are SHA-256 outputs, uniformly random, so their first 128 bits serve as the two base hashes.
 */
final class KnownIdFilter {
    /** About 1% false positives with {@link #HASHES} probes. */
    static final int BITS_PER_ID = 10;
    static final int HASHES = 7;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private volatile Layer[] layers;
    private final Object growLock = new Object();

    KnownIdFilter(long expectedIds) {
        layers = new Layer[] {new Layer(Math.max(1 << 16, expectedIds))};
    }

    /** Records an id; ids that are not 64 lowercase hex characters are ignored (they cannot be stored). */
    void add(String id) {
        if (!StoredValues.isKey(id)) {
            return;
        }
        addHexAt(id, 0);
    }

    /** Records an id given as its 32 bytes, as the database stores it. */
    void add(byte[] id) {
        ByteBuffer bytes = ByteBuffer.wrap(id);
        add(bytes.getLong(0), bytes.getLong(8));
    }

    /** Records the id whose 64 hex digits (either case) start at {@code offset} of {@code hex}. */
    void addHexAt(CharSequence hex, int offset) {
        add(HexFormat.fromHexDigitsToLong(hex, offset, offset + 16),
                HexFormat.fromHexDigitsToLong(hex, offset + 16, offset + 32));
    }

    private void add(long h1, long h2) {
        Layer newest = layers[layers.length - 1];
        if (newest.addAndCount(h1, h2) > newest.capacity) {
            grow(newest);
        }
    }

    /** False when the id was certainly never {@link #add added}. */
    boolean mightContain(String id) {
        if (!StoredValues.isKey(id)) {
            return false;
        }
        long h1 = HexFormat.fromHexDigitsToLong(id, 0, 16);
        long h2 = HexFormat.fromHexDigitsToLong(id, 16, 32);
        for (Layer layer : layers) {
            if (layer.contains(h1, h2)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of bit arrays held, for the operator's log. */
    long sizeBytes() {
        long bytes = 0;
        for (Layer layer : layers) {
            bytes += layer.words.length * 8L;
        }
        return bytes;
    }

    private void grow(Layer full) {
        synchronized (growLock) {
            Layer[] current = layers;
            if (current[current.length - 1] != full) {
                return; // another thread grew it already
            }
            Layer[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = new Layer(full.capacity * 2);
            layers = grown;
        }
    }

    private static final class Layer {
        final long capacity;
        final long[] words;
        final long bitMask;
        private final LongAdder added = new LongAdder();

        Layer(long capacity) {
            this.capacity = capacity;
            long bits = Long.highestOneBit(Math.max(64, capacity * BITS_PER_ID - 1)) << 1; // a power of two
            if (bits / 64 > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Bloom filter layer too large: " + capacity + " ids");
            }
            this.words = new long[(int) (bits / 64)];
            this.bitMask = bits - 1;
        }

        long addAndCount(long h1, long h2) {
            for (int i = 0; i < HASHES; i++) {
                long bit = (h1 + i * h2) & bitMask;
                WORDS.getAndBitwiseOr(words, (int) (bit >>> 6), 1L << bit);
            }
            added.increment();
            return added.sum();
        }

        boolean contains(long h1, long h2) {
            for (int i = 0; i < HASHES; i++) {
                long bit = (h1 + i * h2) & bitMask;
                if (((long) WORDS.getVolatile(words, (int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
