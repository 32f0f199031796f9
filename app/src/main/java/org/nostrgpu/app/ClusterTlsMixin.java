package org.nostrgpu.app;

import org.nostrgpu.common.cluster.ClusterTls;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * The cluster's event-bus TLS options, shared by {@code relay} and {@code worker} ({@link ClusterTls}). Each comes
 * from its option, else its environment variable ({@code CLUSTER_TLS_KEYSTORE}, {@code CLUSTER_TLS_TRUSTSTORE}); the
 * stores' password only from {@code CLUSTER_TLS_PASSWORD}, so it never shows in a process list.
 */
final class ClusterTlsMixin {
    static final String KEYSTORE_ENV = "CLUSTER_TLS_KEYSTORE";
    static final String TRUSTSTORE_ENV = "CLUSTER_TLS_TRUSTSTORE";
    static final String PASSWORD_ENV = "CLUSTER_TLS_PASSWORD";

    @Option(names = "--cluster-tls-keystore", paramLabel = "FILE",
            description = "This member's PKCS12 keystore (private key and certificate signed by the cluster's CA; "
                    + "env " + KEYSTORE_ENV + "). With --cluster-tls-truststore it turns on TLS with client "
                    + "authentication on the event bus. Make the stores with deploy/make-cluster-certs.sh; the "
                    + "password comes from " + PASSWORD_ENV + ".")
    Path keyStore;

    @Option(names = "--cluster-tls-truststore", paramLabel = "FILE",
            description = "PKCS12 truststore holding the cluster CA's certificate (env " + TRUSTSTORE_ENV + "): "
                    + "the only members this one talks to over the event bus.")
    Path trustStore;

    /** The TLS settings in effect, given the process environment; off when neither store is named. */
    ClusterTls resolve(Map<String, String> env) {
        String keys = keyStore != null ? keyStore.toString() : blankToNull(env.get(KEYSTORE_ENV));
        String trust = trustStore != null ? trustStore.toString() : blankToNull(env.get(TRUSTSTORE_ENV));
        if (keys == null && trust == null) {
            return ClusterTls.off();
        }
        return new ClusterTls(keys, trust, env.get(PASSWORD_ENV));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
