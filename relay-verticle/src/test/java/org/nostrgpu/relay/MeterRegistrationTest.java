package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.logging.CapturedLog;
import org.nostrgpu.common.metrics.PrometheusMetrics;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay with its metrics (the embedded worker's included) registers each meter once. Micrometer answers a second
 * registration of a gauge with "This Gauge has been already registered" and keeps the first registrant's gauge only:
 * two SQLite pools under one default name, for instance, reported one pool's queue as both.
 */
class MeterRegistrationTest {
    private static final String DUPLICATE_GAUGE = "already registered";

    /** All levels: Micrometer warns about the first duplicate in the JVM and logs later ones at debug level. */
    private CapturedLog micrometer;

    @TempDir
    Path dataDir;

    @BeforeEach
    void captureMicrometersLog() {
        micrometer = CapturedLog.of("io.micrometer", Level.ALL);
    }

    @AfterEach
    void stopCapturing() {
        micrometer.close();
    }

    @Test
    void aRelayThatStoresAndAnswersQueriesRegistersNoGaugeTwice() throws Exception {
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
        Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
        try {
            RelayNode relay = RelayNode.start(vertx, TestRelays.config(dataDir, TestRelays.LIMITS),
                    TestRelays.OPTIONS.withRegistry(registry)).await(30, TimeUnit.SECONDS);
            try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
                Event event = TestRelays.sign(EventSigner.random(), 1, List.of(), "counted once");
                client.publishAccepted(event);
                assertEquals(1, client.req("q", "{\"ids\":[\"" + event.id() + "\"]}").size());
                client.send("[\"COUNT\",\"c\",{\"kinds\":[1]}]");
                client.next("COUNT");
            } finally {
                relay.close().await(30, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), micrometer.messages().stream().filter(m -> m.contains(DUPLICATE_GAUGE)).toList());
    }

    @Test
    void theCaptureSeesMicrometersDuplicateGaugeMessage() {
        PrometheusMeterRegistry registry = PrometheusMetrics.newRegistry();
        registry.gauge("nostr.test.twice", 1);
        registry.gauge("nostr.test.twice", 2);
        assertTrue(micrometer.messages().stream().anyMatch(m -> m.contains(DUPLICATE_GAUGE)), micrometer.messages().toString());
    }
}
