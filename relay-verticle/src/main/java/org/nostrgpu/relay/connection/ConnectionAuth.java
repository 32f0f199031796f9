package org.nostrgpu.relay.connection;

import io.vertx.core.net.HostAndPort;
import org.nostrgpu.common.config.AuthSettings;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.relay.ingest.EventIngester;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * NIP-42 for one connection: its challenge, the checks of an auth event's claims (kind 22242, the {@code relay} and
 * {@code challenge} tags, {@code created_at} near the relay's clock), and the pubkeys it has authenticated as. The
 * id and signature are checked by the caller on the same path as every event. Used on the connection's context only.
 */
final class ConnectionAuth {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthSettings settings;
    /** The host (and port) the client connected to, from its HTTP Host header; null when it sent none. */
    private final HostAndPort connectedTo;
    private final String challenge;
    private final Set<String> pubkeys = new HashSet<>(2);

    ConnectionAuth(AuthSettings settings, HostAndPort connectedTo) {
        this.settings = settings;
        this.connectedTo = connectedTo;
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.challenge = Hex.encode(random);
    }

    boolean enabled() {
        return settings.enabled();
    }

    String challenge() {
        return challenge;
    }

    boolean isAuthenticated() {
        return !pubkeys.isEmpty();
    }

    boolean isAuthenticatedAs(String pubkey) {
        return pubkeys.contains(pubkey);
    }

    boolean requiredForWrites() {
        return settings.requiredForWrites() && !isAuthenticated();
    }

    boolean requiredForReads() {
        return settings.requiredForReads() && !isAuthenticated();
    }

    void authenticated(String pubkey) {
        pubkeys.add(pubkey);
    }

    /** What is wrong with the auth event's claims (without the {@code invalid: } prefix), or null. */
    String problem(Event event, long nowSeconds) {
        if (event.kind() != EventIngester.AUTH_KIND) {
            return "an auth event must be of kind " + EventIngester.AUTH_KIND + ", got " + event.kind();
        }
        if (!challenge.equals(firstTagValue(event, "challenge"))) {
            return "the auth event's challenge tag is not this connection's challenge";
        }
        String relay = firstTagValue(event, "relay");
        if (relay == null || !namesThisRelay(relay)) {
            return "the auth event's relay tag does not name this relay";
        }
        if (Math.abs(event.createdAt() - nowSeconds) > settings.maxAgeSeconds()) {
            return "the auth event's created_at is more than " + settings.maxAgeSeconds() + " s from the relay's clock";
        }
        return null;
    }

    private boolean namesThisRelay(String url) {
        Address claimed = Address.of(url);
        if (claimed == null) {
            return false;
        }
        if (!settings.relayUrl().isEmpty()) {
            return claimed.equals(Address.of(settings.relayUrl()));
        }
        if (connectedTo == null) {
            return false;
        }
        // a proxy in front may terminate TLS, so the scheme is not compared; a Host header without a port says
        // nothing about the port the client used
        return claimed.host().equals(Address.bare(connectedTo.host()))
                && (connectedTo.port() < 0 || claimed.port() == connectedTo.port());
    }

    private static String firstTagValue(Event event, String name) {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals(name)) {
                return tag.get(1);
            }
        }
        return null;
    }

    /** A relay URL reduced to what identifies the relay: host, port (default by scheme) and path without "/". */
    private record Address(String host, int port, String path) {
        /** A host as compared: lowercase, an IPv6 address without its brackets. */
        static String bare(String host) {
            String lower = host.toLowerCase(Locale.ROOT);
            return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
        }

        static Address of(String url) {
            try {
                URI uri = new URI(url.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
                    return null;
                }
                int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("wss") ? 443 : 80;
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                while (path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                return new Address(bare(uri.getHost()), port, path);
            } catch (URISyntaxException e) {
                return null;
            }
        }
    }
}
