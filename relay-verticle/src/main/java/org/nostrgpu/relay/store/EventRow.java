package org.nostrgpu.relay.store;

import io.vertx.sqlclient.Tuple;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.KindClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An event as the writer stores it: its row in {@code events} (with the seq the writer assigned) and its rows in
 * {@code tags}.
 *
 * @param dTag the replaceable/addressable key part: null for regular events, "" for replaceable ones
 */
record EventRow(long seq, Event event, String dTag, Long expiration) {

    static EventRow of(long seq, Event event) {
        String dTag = switch (event.kindClass()) {
            case REPLACEABLE -> "";
            case ADDRESSABLE -> event.dTag();
            case REGULAR -> null;
            case EPHEMERAL -> throw new IllegalArgumentException("ephemeral events are not stored (kind " + event.kind() + ")");
        };
        return new EventRow(seq, event, dTag, event.expiration().orElse(null));
    }

    boolean isReplaceable() {
        return dTag != null;
    }

    boolean isDeletion() {
        return event.kind() == 5;
    }

    /** Parameters ?1..?8 of {@link WriteSql#INSERT_EVENT}. */
    Tuple insertParams() {
        return Tuple.wrap(Arrays.asList(seq, StoredValues.key(event.id()), StoredValues.key(event.pubkey()),
                event.createdAt(), event.kind(), dTag, expiration, event.toJson()));
    }

    /** Parameters ?1..?3 of {@link WriteSql#DELETE_OLDER_VERSIONS}. */
    Tuple addressParams() {
        return Tuple.of(event.kind(), StoredValues.key(event.pubkey()), dTag);
    }

    /**
     * One tag row per distinct (name, value) of the event's single-letter tags that have a value: the tags a
     * {@code #x} filter can match.
     */
    List<Tuple> tagParams() {
        Set<List<String>> seen = new LinkedHashSet<>();
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).length() == 1) {
                seen.add(List.of(tag.get(0), tag.get(1)));
            }
        }
        List<Tuple> params = new ArrayList<>(seen.size());
        byte[] id = StoredValues.key(event.id());
        for (List<String> nameValue : seen) {
            params.add(Tuple.of(seq, nameValue.get(0), StoredValues.tagValue(nameValue.get(1)), event.createdAt(),
                    event.kind(), id));
        }
        return params;
    }

    static boolean isStorable(Event event) {
        return event.kindClass() != KindClass.EPHEMERAL;
    }
}
