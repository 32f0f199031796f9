package org.nostrgpu.relay.store;

import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.KindClass;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An event as the writer stores it: its row in {@code events} (with the seq the writer assigned) and its rows in
 * {@code tags}.
 *
 * @param json the canonical JSON stored in {@code events.json}
 * @param dTag the replaceable/addressable key part: null for regular events, "" for replaceable ones
 */
record EventRow(long seq, Event event, String json, String dTag, Long expiration) {

    static EventRow of(long seq, PendingWrite pending) {
        Event event = pending.event();
        String dTag = switch (event.kindClass()) {
            case REPLACEABLE -> "";
            case ADDRESSABLE -> event.dTag();
            case REGULAR -> null;
            case EPHEMERAL -> throw new IllegalArgumentException("ephemeral events are not stored (kind " + event.kind() + ")");
        };
        return new EventRow(seq, event, pending.canonicalJson(), dTag, event.expiration().orElse(null));
    }

    boolean isReplaceable() {
        return dTag != null;
    }

    boolean isDeletion() {
        return event.kind() == 5;
    }

    /** Binds parameters ?1..?8 of {@link WriteSql#INSERT_EVENT}. */
    void bindInsert(PreparedStatement insert) throws SQLException {
        insert.setLong(1, seq);
        insert.setBytes(2, StoredValues.key(event.id()));
        insert.setBytes(3, StoredValues.key(event.pubkey()));
        insert.setLong(4, event.createdAt());
        insert.setInt(5, event.kind());
        CachedConnection.bind(insert, 6, dTag);
        CachedConnection.bind(insert, 7, expiration);
        insert.setString(8, json);
    }

    /** Parameters ?1..?3 of {@link WriteSql#DELETE_OLDER_VERSIONS}. */
    List<Object> addressParams() {
        return List.of(event.kind(), StoredValues.key(event.pubkey()), dTag);
    }

    /** Whether the event has a tag a {@code #x} filter can match (a single-letter name and a value). */
    boolean hasTagRows() {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).length() == 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds one batch entry of {@link WriteSql#INSERT_TAG} per distinct (name, value) of the event's single-letter
     * tags that have a value: the tags a {@code #x} filter can match.
     */
    void addTagBatches(PreparedStatement insert) throws SQLException {
        Set<List<String>> seen = new LinkedHashSet<>();
        byte[] id = null;
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).length() == 1 && seen.add(List.of(tag.get(0), tag.get(1)))) {
                id = id == null ? StoredValues.key(event.id()) : id;
                insert.setLong(1, seq);
                insert.setString(2, tag.get(0));
                CachedConnection.bind(insert, 3, StoredValues.tagValue(tag.get(1)));
                insert.setLong(4, event.createdAt());
                insert.setInt(5, event.kind());
                insert.setBytes(6, id);
                insert.addBatch();
            }
        }
    }

    static boolean isStorable(Event event) {
        return event.kindClass() != KindClass.EPHEMERAL;
    }
}
