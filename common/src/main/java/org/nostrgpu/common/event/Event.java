package org.nostrgpu.common.event;

import java.util.List;
import java.util.Optional;

/**
 * A Nostr event (NIP-01), immutable. Instances come from {@link EventParser#parse(String)},
 * which checks structure and field formats; the id and signature are checked elsewhere.
 *
 * @param id        64 lowercase hex characters: sha256 of {@link CanonicalJson#idPreimage(Event)}
 * @param pubkey    64 lowercase hex characters: BIP-340 x-only public key
 * @param createdAt unix seconds
 * @param kind      0..65535
 * @param tags      list of tags, each a non-empty-or-empty list of strings (unmodifiable)
 * @param content   arbitrary string
 * @param sig       128 lowercase hex characters: BIP-340 signature of the id
 */
public record Event(String id, String pubkey, long createdAt, int kind,
                    List<List<String>> tags, String content, String sig) {

    public Event {
        tags = tags.stream().map(List::copyOf).toList();
    }

    public KindClass kindClass() {
        return KindClass.of(kind);
    }

    /** The first value of the first {@code d} tag, or "" when there is none (NIP-01 addressable key). */
    public String dTag() {
        for (List<String> tag : tags) {
            if (tag.size() >= 1 && tag.get(0).equals("d")) {
                return tag.size() >= 2 ? tag.get(1) : "";
            }
        }
        return "";
    }

    /** NIP-40: the {@code expiration} tag's value as unix seconds, when present and numeric. */
    public Optional<Long> expiration() {
        for (List<String> tag : tags) {
            if (tag.size() >= 2 && tag.get(0).equals("expiration")) {
                try {
                    return Optional.of(Long.parseLong(tag.get(1)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** NIP-70: the event carries a {@code ["-"]} tag. */
    public boolean isProtected() {
        for (List<String> tag : tags) {
            if (tag.size() == 1 && tag.get(0).equals("-")) {
                return true;
            }
        }
        return false;
    }

    /** The canonical JSON object of this event (NIP-01 field order, NIP-01 escaping), as stored and served. */
    public String toJson() {
        return CanonicalJson.eventObject(this);
    }
}
