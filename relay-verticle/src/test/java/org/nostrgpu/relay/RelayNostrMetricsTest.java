package org.nostrgpu.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.metrics.PrometheusMetrics;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's own Nostr-level Prometheus series, read from {@code /metrics} text after a known sequence of client
 * messages: events by OK outcome, connections, subscriptions, REQ and its EOSE latency, live events, store writes.
 */
class RelayNostrMetricsTest {
    @TempDir
    Path dataDir;

    private Vertx vertx;
    private PrometheusMeterRegistry registry;
    private RelayNode relay;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        registry = PrometheusMetrics.newRegistry();
        relay = RelayNode.start(vertx, TestRelays.config(dataDir, TestRelays.LIMITS),
                TestRelays.OPTIONS.withRegistry(registry)).await(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        relay.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void eachClientMessageLandsInItsSeries() throws Exception {
        EventSigner alice = EventSigner.random();
        try (RelayTestClient publisher = RelayTestClient.connect(vertx, relay.port());
             RelayTestClient subscriber = RelayTestClient.connect(vertx, relay.port())) {
            assertEquals(0, subscriber.req("live", "{\"kinds\":[1]}").size());
            Event first = TestRelays.sign(alice, 1, List.of(), "one");
            publisher.publishAccepted(first);
            publisher.publishAccepted(TestRelays.sign(alice, 1, List.of(), "two"));
            assertEquals("duplicate: already have this event", publisher.publish(first).getString(3));
            assertFalse(publisher.publish(TestRelays.withBadSignature(TestRelays.sign(alice, 1, List.of(), "3")))
                    .getBoolean(2));
            assertFalse(publisher.publish(TestRelays.withTamperedContent(TestRelays.sign(alice, 1, List.of(), "4")))
                    .getBoolean(2));
            // NIP-70 before AUTH (NIP-42 is on by default): refused before ingest, counted all the same
            assertTrue(publisher.publish(TestRelays.sign(alice, 1, List.of(List.of("-")), "mine")).getString(3)
                    .startsWith("auth-required:"));
            subscriber.next("EVENT");
            subscriber.next("EVENT");
            assertEquals(2, publisher.req("stored", "{\"authors\":[\"" + alice.pubkey() + "\"]}").size());

            String text = registry.scrape();
            assertEquals(6, sample(text, "nostr_relay_events_received_total"));
            assertEquals(2, sample(text, "nostr_relay_events_accepted_total"));
            assertEquals(1, sample(text, "nostr_relay_events_duplicate_total"));
            assertEquals(2, sample(text, "nostr_relay_events_rejected_total{prefix=\"invalid\"}"));
            assertEquals(1, sample(text, "nostr_relay_events_rejected_total{prefix=\"auth-required\"}"));
            assertEquals(0, sample(text, "nostr_relay_events_rejected_total{prefix=\"error\"}"));
            assertEquals(2, sample(text, "nostr_relay_connections_open"));
            assertEquals(2, sample(text, "nostr_relay_subscriptions_open"));
            assertEquals(2, sample(text, "nostr_relay_req_total"));
            assertEquals(2, sample(text, "nostr_relay_req_eose_duration_seconds_count"));
            assertTrue(sample(text, "nostr_relay_req_eose_duration_seconds_bucket{le=\"10.0\"}") == 2, text);
            assertEquals(2, sample(text, "nostr_relay_live_events_sent_total"));
            assertEquals(2, sample(text, "nostr_relay_store_write_transaction_size_events_sum"));
            assertTrue(sample(text, "nostr_relay_store_write_transaction_duration_seconds_count") >= 1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sample(registry.scrape(), "nostr_relay_connections_open") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String text = registry.scrape();
        assertEquals(0, sample(text, "nostr_relay_connections_open"));
        assertEquals(0, sample(text, "nostr_relay_subscriptions_open"));
    }

    /** The value of the sample whose name and labels start as {@code series} says (labels in Micrometer's order). */
    private static double sample(String text, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series).replace("}\\E", "\\E[^}]*\\Q}\\E")
                + "\\s+(\\S+)$", Pattern.MULTILINE).matcher(text);
        if (!line.find()) {
            throw new AssertionError("no sample " + series + " in:\n" + text);
        }
        return Double.parseDouble(line.group(1));
    }
}
