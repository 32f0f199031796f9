package org.nostrgpu.relay.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The answer to a REQ's stored part: each event's canonical JSON as the UTF-8 bytes SQLite holds, newest first, then
 * lowest id, so a connection can put them behind its frame prefix without decoding or encoding anything.
 */
public final class StoredEvents {
    public static final StoredEvents NONE = new StoredEvents(List.of());

    /** Canonical JSON starts with {@code {"id":"} and the 64-character lowercase hex id. */
    private static final int ID_OFFSET = 7;
    private static final int ID_LENGTH = 64;

    /** Newest first, then lowest id (hex compares like the id's bytes). */
    static final Comparator<Row> NIP01_ORDER = Comparator.comparingLong(Row::createdAt).reversed()
            .thenComparing((a, b) -> compareIds(a.json(), b.json()));

    private final List<byte[]> json;
    private final int totalBytes;

    private StoredEvents(List<byte[]> json) {
        this.json = json;
        int total = 0;
        for (byte[] event : json) {
            total += event.length;
        }
        this.totalBytes = total;
    }

    /** One stored event as read: its created_at (for merging answers) and its JSON. */
    record Row(long createdAt, byte[] json) {
    }

    /**
     * Rows from several lists (sorted or not) in NIP-01 order, an event present more than once kept once, at most
     * {@code limit} (all when negative).
     */
    static List<Row> inOrder(List<Row> rows, int limit) {
        rows.sort(NIP01_ORDER);
        List<Row> out = new ArrayList<>(limit < 0 ? rows.size() : Math.min(rows.size(), limit));
        Row previous = null;
        for (Row row : rows) {
            if (limit >= 0 && out.size() == limit) {
                break;
            }
            if (previous != null && compareIds(previous.json(), row.json()) == 0) {
                continue; // sorted, so a second copy of an event follows the first
            }
            out.add(row);
            previous = row;
        }
        return out;
    }

    /** Rows already in NIP-01 order, without duplicates. */
    static StoredEvents of(List<Row> ordered) {
        List<byte[]> out = new ArrayList<>(ordered.size());
        ordered.forEach(row -> out.add(row.json()));
        return new StoredEvents(out);
    }

    /** Events given as canonical JSON text, already in NIP-01 order (other stores, tests). */
    public static StoredEvents fromJson(List<String> json) {
        List<byte[]> out = new ArrayList<>(json.size());
        json.forEach(text -> out.add(text.getBytes(StandardCharsets.UTF_8)));
        return new StoredEvents(out);
    }

    public int size() {
        return json.size();
    }

    /** The length of all the events' JSON together, in bytes. */
    public int totalBytes() {
        return totalBytes;
    }

    /** The UTF-8 bytes of event {@code index}'s canonical JSON; not to be modified. */
    public byte[] json(int index) {
        return json.get(index);
    }

    /** The id of event {@code index}, read from its JSON. */
    public String id(int index) {
        return new String(json.get(index), ID_OFFSET, ID_LENGTH, StandardCharsets.US_ASCII);
    }

    /** The events as JSON text (tests and tools). */
    public List<String> asStrings() {
        List<String> out = new ArrayList<>(json.size());
        json.forEach(bytes -> out.add(new String(bytes, StandardCharsets.UTF_8)));
        return out;
    }

    private static int compareIds(byte[] a, byte[] b) {
        return java.util.Arrays.compare(a, ID_OFFSET, ID_OFFSET + ID_LENGTH, b, ID_OFFSET, ID_OFFSET + ID_LENGTH);
    }
}
