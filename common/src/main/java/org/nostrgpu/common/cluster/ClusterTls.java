package org.nostrgpu.common.cluster;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import org.nostrgpu.common.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS with mutual authentication on the clustered event bus: each member presents its own certificate (from
 * {@code keyStore}) and accepts only peers whose certificate the cluster's own CA signed (the CA certificate in
 * {@code trustStore}), in both directions: as the server of its event-bus port ({@link ClientAuth#REQUIRED}) and as
 * the client that connects to other members. Both stores are PKCS12; {@code deploy/make-cluster-certs.sh} makes them.
 *
 * <p>Replicated events and verdicts are trusted because they come over the event bus, so without this anyone who
 * reaches a member's event-bus port (and Hazelcast's, to learn the others) could inject both. Hazelcast's own member
 * protocol is not encrypted or authenticated in its open-source edition (the cluster name is a label, not a secret):
 * its port must be bound to the cluster's network and reachable by members only. A node without a certificate of
 * this CA can still join Hazelcast there, but it can neither send to nor receive from the event bus of a member.
 *
 * @param keyStore  this member's private key and certificate; null when TLS is off
 * @param trustStore the cluster CA's certificate
 * @param password  the password of both stores
 */
public record ClusterTls(String keyStore, String trustStore, String password) {

    public static ClusterTls off() {
        return new ClusterTls(null, null, null);
    }

    public ClusterTls {
        if ((keyStore == null) != (trustStore == null)) {
            throw new ConfigException("cluster TLS needs both a keystore (this member's certificate) and a truststore "
                    + "(the cluster CA's certificate)");
        }
        if (keyStore != null) {
            for (String store : new String[]{keyStore, trustStore}) {
                if (!Files.isReadable(Path.of(store))) {
                    throw new ConfigException("cluster TLS store not found or not readable: " + store);
                }
            }
            if (password == null || password.isEmpty()) {
                throw new ConfigException("cluster TLS needs the stores' password (CLUSTER_TLS_PASSWORD)");
            }
        }
    }

    public boolean enabled() {
        return keyStore != null;
    }

    /** Turns TLS with required client certificates on in {@code options}; nothing when off. */
    public EventBusOptions applyTo(EventBusOptions options) {
        if (!enabled()) {
            return options;
        }
        return options.setSsl(true)
                .setClientAuth(ClientAuth.REQUIRED)
                .setTrustAll(false)
                // PfxOptions rather than the generic KeyStoreOptions: Vert.x hands the event bus's options to its TCP
                // server and client through JSON, which carries these
                .setKeyCertOptions(new PfxOptions().setPath(keyStore).setPassword(password))
                .setTrustOptions(new PfxOptions().setPath(trustStore).setPassword(password));
    }

    /** For the start-up log. */
    public String describe() {
        return enabled() ? "TLS, members authenticated by certificates of the CA in " + trustStore
                : "no TLS: anyone who reaches the event-bus and Hazelcast ports can send to this member";
    }
}
