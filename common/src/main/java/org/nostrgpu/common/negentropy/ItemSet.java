package org.nostrgpu.common.negentropy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The items one side reconciles: (timestamp, 32-byte id) pairs in ascending order of timestamp, then id (bytes
 * compared unsigned). Stored in two flat arrays, 40 bytes an item, so a million items cost 40 MB and no objects.
 * Build it with {@link Builder}; it is immutable afterwards and may be read by several threads.
 */
public final class ItemSet {
    public static final int ID_SIZE = 32;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[] timestamps;
    private final byte[] ids;
    private final int size;

    private ItemSet(long[] timestamps, byte[] ids, int size) {
        this.timestamps = timestamps;
        this.ids = ids;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public long timestamp(int index) {
        return timestamps[index];
    }

    public byte[] id(int index) {
        return Arrays.copyOfRange(ids, index * ID_SIZE, (index + 1) * ID_SIZE);
    }

    /** The first index in [first, last) whose item is not below {@code bound}; {@code last} when none. */
    int lowerBound(int first, int last, Bound bound) {
        int low = first;
        int high = last;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (compareToBound(middle, bound) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private int compareToBound(int index, Bound bound) {
        int byTime = Long.compare(timestamps[index], bound.timestamp());
        if (byTime != 0) {
            return byTime;
        }
        byte[] prefix = bound.idPrefix();
        int offset = index * ID_SIZE;
        for (int i = 0; i < ID_SIZE; i++) {
            int theirs = i < prefix.length ? prefix[i] & 0xff : 0;
            int ours = ids[offset + i] & 0xff;
            if (ours != theirs) {
                return Integer.compare(ours, theirs);
            }
        }
        return 0;
    }

    /** The fingerprint of the items [first, last). */
    byte[] fingerprint(int first, int last) {
        Fingerprint sum = new Fingerprint();
        for (int i = first; i < last; i++) {
            int offset = i * ID_SIZE;
            sum.add((long) LONG_LE.get(ids, offset), (long) LONG_LE.get(ids, offset + 8),
                    (long) LONG_LE.get(ids, offset + 16), (long) LONG_LE.get(ids, offset + 24));
        }
        return sum.finish(last - first);
    }

    /** Writes the ids of [first, last) one after the other. */
    void writeIds(MessageWriter out, int first, int last) {
        out.writeBytes(ids, first * ID_SIZE, (last - first) * ID_SIZE);
    }

    /** Whether the id at {@code index} equals {@code id}. */
    boolean idEquals(int index, byte[] id) {
        return Arrays.equals(ids, index * ID_SIZE, (index + 1) * ID_SIZE, id, 0, ID_SIZE);
    }

    /** The shortest bound that lies after item {@code index - 1} and not after item {@code index}. */
    Bound minimalBoundBefore(int index) {
        long time = timestamps[index];
        if (timestamps[index - 1] != time) {
            return new Bound(time, new byte[0]);
        }
        int shared = 0;
        int previous = (index - 1) * ID_SIZE;
        int current = index * ID_SIZE;
        while (shared < ID_SIZE && ids[previous + shared] == ids[current + shared]) {
            shared++;
        }
        return new Bound(time, Arrays.copyOfRange(ids, current, current + Math.min(ID_SIZE, shared + 1)));
    }

    /** The bound equal to the item at {@code index}. */
    Bound boundAt(int index) {
        return new Bound(timestamps[index], id(index));
    }

    /** Collects items in any order; {@link #build} sorts them (cheaply when they came sorted) and drops repeats. */
    public static final class Builder {
        private long[] timestamps;
        private byte[] ids;
        private int size;
        private boolean sorted = true;

        public Builder(int expected) {
            timestamps = new long[Math.max(16, expected)];
            ids = new byte[Math.max(16, expected) * ID_SIZE];
        }

        /** @param id 32 bytes, copied */
        public Builder add(long timestamp, byte[] id) {
            return add(timestamp, id, 0);
        }

        /** Adds the 32 bytes of {@code source} from {@code offset}. */
        public Builder add(long timestamp, byte[] source, int offset) {
            if (timestamp < 0) {
                throw new IllegalArgumentException("negative timestamp " + timestamp);
            }
            if (size == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, size * 2);
                ids = Arrays.copyOf(ids, size * 2 * ID_SIZE);
            }
            timestamps[size] = timestamp;
            System.arraycopy(source, offset, ids, size * ID_SIZE, ID_SIZE);
            if (sorted && size > 0 && compare(size - 1, size) > 0) {
                sorted = false;
            }
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public ItemSet build() {
            if (!sorted) {
                sortInPlace();
            }
            int distinct = 0;
            for (int i = 0; i < size; i++) {
                if (distinct > 0 && compare(distinct - 1, i) == 0) {
                    continue;
                }
                if (distinct != i) {
                    timestamps[distinct] = timestamps[i];
                    System.arraycopy(ids, i * ID_SIZE, ids, distinct * ID_SIZE, ID_SIZE);
                }
                distinct++;
            }
            return new ItemSet(timestamps, ids, distinct);
        }

        private int compare(int a, int b) {
            int byTime = Long.compare(timestamps[a], timestamps[b]);
            return byTime != 0 ? byTime
                    : Arrays.compareUnsigned(ids, a * ID_SIZE, (a + 1) * ID_SIZE, ids, b * ID_SIZE, (b + 1) * ID_SIZE);
        }

        private void sortInPlace() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, this::compare);
            long[] sortedTimes = new long[timestamps.length];
            byte[] sortedIds = new byte[ids.length];
            for (int i = 0; i < size; i++) {
                sortedTimes[i] = timestamps[order[i]];
                System.arraycopy(ids, order[i] * ID_SIZE, sortedIds, i * ID_SIZE, ID_SIZE);
            }
            timestamps = sortedTimes;
            ids = sortedIds;
            sorted = true;
        }
    }
}
