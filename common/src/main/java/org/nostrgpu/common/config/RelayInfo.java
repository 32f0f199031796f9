package org.nostrgpu.common.config;

/** Operator-provided NIP-11 fields; empty strings are left out of the document. */
public record RelayInfo(String name, String description, String pubkey, String contact, String icon) {
    public static RelayInfo defaults() {
        return new RelayInfo("nostr-gpu-relay", "A Nostr relay that verifies signatures in batches on a GPU.", "", "", "");
    }
}
