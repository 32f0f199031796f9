package org.nostrgpu.relay.info;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.config.AuthSettings;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.RelayInfo;
import org.nostrgpu.common.config.WritePolicy;

/** The NIP-11 relay information document, built once from the configuration. */
public final class RelayInformationDocument {
    /**
     * NIPs this relay implements under today's numbering: 1 (protocol, kinds, replaceable and addressable),
     * 9 (deletion), 11 (this document), 40 (expiration), 45 (COUNT), 70 (protected events: accepted from their
     * authenticated author, refused without NIP-42), 77 (negentropy set reconciliation: NEG-OPEN, NEG-MSG,
     * NEG-CLOSE, NEG-ERR); 42 (authentication) is added when it is enabled.
     */
    public static final int[] SUPPORTED_NIPS = {1, 9, 11, 40, 45, 70, 77};
    public static final int AUTH_NIP = 42;
    /** NIP-13 (proof of work) is listed when a minimum difficulty is required. */
    public static final int POW_NIP = 13;
    public static final String SOFTWARE = "nostr-gpu-relay";

    private RelayInformationDocument() {
    }

    public static JsonObject build(RelayConfig config, String version) {
        RelayInfo info = config.info();
        JsonObject document = new JsonObject();
        putIfPresent(document, "name", info.name());
        putIfPresent(document, "description", info.description());
        putIfPresent(document, "pubkey", info.pubkey());
        putIfPresent(document, "contact", info.contact());
        putIfPresent(document, "icon", info.icon());
        JsonArray nips = new JsonArray();
        for (int nip : SUPPORTED_NIPS) {
            nips.add(nip);
        }
        if (config.auth().enabled()) {
            nips.add(AUTH_NIP);
        }
        if (config.writePolicy().minPowDifficulty() > 0) {
            nips.add(POW_NIP);
        }
        nips.getList().sort(null);
        document.put("supported_nips", nips);
        document.put("software", SOFTWARE);
        document.put("version", version);
        document.put("limitation", limitation(config.limits(), config.auth(), config.writePolicy()));
        return document;
    }

    private static JsonObject limitation(Limits limits, AuthSettings auth, WritePolicy policy) {
        JsonObject limitation = new JsonObject()
                .put("max_message_length", limits.maxMessageBytes())
                .put("max_subscriptions", limits.maxSubscriptionsPerConnection())
                .put("max_filters", limits.maxFiltersPerReq())
                .put("max_limit", limits.maxLimit())
                .put("max_subid_length", 64)
                .put("max_event_tags", limits.maxTags())
                .put("max_content_length", limits.maxContentBytes())
                .put("default_limit", limits.maxLimit());
        // No lower bound is configured when maxPastSeconds is 0; a 0 here would claim everything is too old.
        if (limits.maxPastSeconds() > 0) {
            limitation.put("created_at_lower_limit", limits.maxPastSeconds());
        }
        limitation.put("created_at_upper_limit", limits.maxFutureSeconds())
                // NIP-11: auth_required means nothing at all works before AUTH
                .put("auth_required", auth.requiredForReads() && auth.requiredForWrites())
                .put("payment_required", false)
                .put("restricted_writes", auth.requiredForWrites() || policy.restrictsWrites());
        if (policy.minPowDifficulty() > 0) {
            limitation.put("min_pow_difficulty", policy.minPowDifficulty());
        }
        return limitation;
    }

    private static void putIfPresent(JsonObject document, String key, String value) {
        if (value != null && !value.isEmpty()) {
            document.put(key, value);
        }
    }
}
