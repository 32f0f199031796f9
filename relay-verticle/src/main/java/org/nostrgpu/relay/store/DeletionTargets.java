package org.nostrgpu.relay.store;

import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.KindClass;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a NIP-09 deletion request (kind 5) asks to delete: event ids from its {@code e} tags, and
 * addresses from its {@code a} tags ("kind:pubkey:d") that belong to the deletion's own author. Malformed
 * references are ignored.
 */
record DeletionTargets(List<String> ids, List<Address> addresses) {

    record Address(int kind, String pubkey, String dTag) {
    }

    static DeletionTargets of(Event deletion) {
        Set<String> ids = new LinkedHashSet<>();
        Set<Address> addresses = new LinkedHashSet<>();
        for (List<String> tag : deletion.tags()) {
            if (tag.size() < 2) {
                continue;
            }
            if (tag.get(0).equals("e") && isHex64(tag.get(1))) {
                ids.add(tag.get(1));
            } else if (tag.get(0).equals("a")) {
                Address address = parseAddress(tag.get(1));
                if (address != null && address.pubkey().equals(deletion.pubkey())) {
                    addresses.add(address);
                }
            }
        }
        return new DeletionTargets(List.copyOf(ids), List.copyOf(addresses));
    }

    /** "kind:pubkey:d" where kind is replaceable or addressable; d may be empty and may contain ':'. */
    static Address parseAddress(String value) {
        int first = value.indexOf(':');
        int second = first < 0 ? -1 : value.indexOf(':', first + 1);
        if (first < 1 || first > 5 || second != first + 65) {
            return null;
        }
        String kindText = value.substring(0, first);
        if (!kindText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int kind = Integer.parseInt(kindText);
        KindClass kindClass = KindClass.of(kind);
        if (kind > 65535 || (kindClass != KindClass.REPLACEABLE && kindClass != KindClass.ADDRESSABLE)) {
            return null;
        }
        String pubkey = value.substring(first + 1, second);
        return isHex64(pubkey) ? new Address(kind, pubkey, value.substring(second + 1)) : null;
    }

    static boolean isHex64(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
