package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection floods the relay with events, sending all of them without waiting for an OK; another publishes
 * one event in the middle of the flood. Its OK must not wait behind the flood: the spammer's events beyond its
 * pending quota stay in its own socket, so the other event is processed next to at most a quota's worth of the
 * spammer's, while most of the flood is still unanswered.
 */
@ExtendWith(VertxExtension.class)
class RelayFairnessTest {
    private static final int FLOOD = 4_000;
    private static final int QUOTA = 16;

    @TempDir
    Path dataDir;

    @Test
    void oneConnectionsFloodDoesNotDelayAnotherConnectionsOk(Vertx vertx) throws Exception {
        AbuseLimits abuse = AbuseLimits.defaults().withoutRateLimits().withMaxPendingEventsPerConnection(QUOTA);
        RelayNode relay = TestRelays.start(vertx, TestRelays.config(dataDir, Limits.defaults()).withAbuse(abuse));
        EventSigner spammer = EventSigner.random();
        List<Event> flood = new ArrayList<>(FLOOD);
        for (int i = 0; i < FLOOD; i++) {
            flood.add(TestRelays.sign(spammer, 1, List.of(), "flood " + i));
        }
        try (RelayTestClient spam = RelayTestClient.connect(vertx, relay.port());
             RelayTestClient other = RelayTestClient.connect(vertx, relay.port())) {
            for (Event event : flood) {
                spam.send(TestRelays.eventFrame(event));
            }
            for (int i = 0; i < 50; i++) {
                spam.next("OK"); // the flood is being processed
            }
            other.publishAccepted(TestRelays.sign(EventSigner.random(), 1, List.of(), "not behind the flood"));
            int answeredMeanwhile = 50 + spam.drain();
            System.out.printf("the other connection's OK came after %d of the flood's %d OKs%n", answeredMeanwhile,
                    FLOOD);
            assertTrue(answeredMeanwhile < FLOOD / 2, "the other event waited behind the flood: "
                    + answeredMeanwhile + " of " + FLOOD + " flood events were answered first");
            for (int i = answeredMeanwhile; i < FLOOD; i++) {
                spam.next("OK");
            }
        } finally {
            relay.close().await(30, TimeUnit.SECONDS);
        }
    }
}
