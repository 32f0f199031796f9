package org.nostrgpu.common.filter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One NIP-01 filter. A null set means the condition is absent; an empty set matches nothing.
 * {@code since} and {@code until} are inclusive. {@code tagValues} maps a single letter
 * (the {@code #x} key without '#') to the accepted first values of tags with that name.
 *
 * @param limit the client's {@code limit}, or null when absent
 */
public record Filter(Set<String> ids, Set<String> authors, Set<Integer> kinds,
                     Map<Character, Set<String>> tagValues, Long since, Long until, Integer limit) {

    // TODO(model helper): compact constructor making collections unmodifiable; matches(Event)
}
