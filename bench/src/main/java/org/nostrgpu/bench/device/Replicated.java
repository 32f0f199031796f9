package org.nostrgpu.bench.device;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** A read-only list of {@code size} elements that repeats {@code source} from the start: element i is source[i % n]. */
public final class Replicated<T> extends AbstractList<T> implements RandomAccess {
    private final List<T> source;
    private final int size;

    public Replicated(List<T> source, int size) {
        if (source.isEmpty() && size > 0) {
            throw new IllegalArgumentException("cannot fill " + size + " elements from an empty list");
        }
        this.source = source;
        this.size = size;
    }

    @Override
    public T get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return source.get(index % source.size());
    }

    @Override
    public int size() {
        return size;
    }
}
