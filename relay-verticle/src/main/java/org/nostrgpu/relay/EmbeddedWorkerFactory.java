package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import org.nostrgpu.common.config.RelayConfig;

/**
 * Makes the verification worker a relay node deploys in its own JVM when its verification plan has one (the
 * embedded default). The relay and the worker are peers that share only the event-bus protocol of
 * {@code common}; the application, which depends on both, supplies this factory.
 */
@FunctionalInterface
public interface EmbeddedWorkerFactory {

    /**
     * @param relay    the relay's configuration (the worker takes its CPU thread count from it)
     * @param registry the registry the relay serves at {@code /metrics}, for the worker's meters
     */
    Deployable create(RelayConfig relay, PrometheusMeterRegistry registry);
}
