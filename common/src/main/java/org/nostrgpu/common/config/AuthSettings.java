package org.nostrgpu.common.config;

/**
 * NIP-42 authentication: the {@code auth} section of the relay's YAML file.
 *
 * @param enabled            send every connection a challenge when it opens and accept {@code AUTH}; NIP-11 lists 42
 *                           only then, and NIP-70 protected events are accepted only then (from their author)
 * @param relayUrl           the URL a client's {@code relay} tag must name (scheme, host and port compared, a trailing
 *                           slash ignored); empty: any {@code ws://} or {@code wss://} URL whose host and port are the
 *                           ones the client connected to (its HTTP {@code Host} header)
 * @param requiredForWrites  EVENT only from authenticated connections ({@code OK false "auth-required: ..."})
 * @param requiredForReads   REQ and COUNT only from authenticated connections ({@code CLOSED "auth-required: ..."})
 * @param maxAgeSeconds      how far the auth event's {@code created_at} may be from the relay's clock, either way
 */
public record AuthSettings(boolean enabled, String relayUrl, boolean requiredForWrites, boolean requiredForReads,
                           long maxAgeSeconds) {

    public static AuthSettings defaults() {
        return new AuthSettings(true, "", false, false, 600);
    }

    public AuthSettings {
        if (!enabled && (requiredForWrites || requiredForReads)) {
            throw new ConfigException("auth.required-for-writes and auth.required-for-reads need auth.enabled: true");
        }
        if (maxAgeSeconds < 1) {
            throw new ConfigException("auth.max-age-seconds must be at least 1, got " + maxAgeSeconds);
        }
    }

    public static AuthSettings disabled() {
        return new AuthSettings(false, "", false, false, 600);
    }

    public AuthSettings required(boolean forWrites, boolean forReads) {
        return new AuthSettings(enabled, relayUrl, forWrites, forReads, maxAgeSeconds);
    }

    public AuthSettings withRelayUrl(String url) {
        return new AuthSettings(enabled, url, requiredForWrites, requiredForReads, maxAgeSeconds);
    }
}
