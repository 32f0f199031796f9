package org.nostrgpu.common.filter;

import org.nostrgpu.common.event.Event;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One NIP-01 filter. A null set means the condition is absent; an empty set matches nothing.
 * {@code since} and {@code until} are inclusive. {@code tagValues} maps a single letter
 * (the {@code #x} key without '#') to the accepted first values of tags with that name.
 *
 * <p>{@link #matches(Event)} is the contract the store's SQL must agree with: every present condition must
 * hold; for {@code #x}, some tag of the event has exactly the one-letter name {@code x}, at least two
 * elements, and a first value (element 1) in the set. {@code limit} only caps stored results and plays no
 * part in matching.
 *
 * @param limit the client's {@code limit}, or null when absent
 */
public record Filter(Set<String> ids, Set<String> authors, Set<Integer> kinds,
                     Map<Character, Set<String>> tagValues, Long since, Long until, Integer limit) {

    public Filter {
        ids = ids == null ? null : Set.copyOf(ids);
        authors = authors == null ? null : Set.copyOf(authors);
        kinds = kinds == null ? null : Set.copyOf(kinds);
        if (tagValues != null) {
            Map<Character, Set<String>> copy = new HashMap<>(tagValues.size() * 2);
            tagValues.forEach((letter, values) -> copy.put(letter, Set.copyOf(values)));
            tagValues = Map.copyOf(copy);
        }
    }

    /** The filter {@code {}}: every event. */
    public static Filter all() {
        return new Filter(null, null, null, null, null, null, null);
    }

    public boolean matches(Event event) {
        if (ids != null && !ids.contains(event.id())) {
            return false;
        }
        if (authors != null && !authors.contains(event.pubkey())) {
            return false;
        }
        if (kinds != null && !kinds.contains(event.kind())) {
            return false;
        }
        if (since != null && event.createdAt() < since) {
            return false;
        }
        if (until != null && event.createdAt() > until) {
            return false;
        }
        if (tagValues != null) {
            for (Map.Entry<Character, Set<String>> condition : tagValues.entrySet()) {
                if (!hasTag(event, condition.getKey(), condition.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when {@link #matches} is false for every possible event, so a store can skip the query. */
    public boolean matchesNothing() {
        if ((ids != null && ids.isEmpty()) || (authors != null && authors.isEmpty())
                || (kinds != null && kinds.isEmpty())) {
            return true;
        }
        if (since != null && until != null && since > until) {
            return true;
        }
        return tagValues != null && tagValues.values().stream().anyMatch(Set::isEmpty);
    }

    private static boolean hasTag(Event event, char letter, Set<String> values) {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2) {
                String name = tag.get(0);
                if (name.length() == 1 && name.charAt(0) == letter && values.contains(tag.get(1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
