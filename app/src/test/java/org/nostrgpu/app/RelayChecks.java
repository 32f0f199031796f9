package org.nostrgpu.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.nostrgpu.app.NostrSocket.Ok;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the container tests ask of relays running elsewhere: publish, wait for the cluster, watch live delivery. */
final class RelayChecks {
    static final String RELAY_VERDICTS = "nostr_relay_verify_verdicts_total";
    static final String RELAY_FALLBACKS = "nostr_relay_verify_fallbacks_total";
    static final String WORKER_VERDICTS = "nostr_worker_verdicts_total";
    /** Longest wait for one answer or one delivery. */
    static final Duration ANSWER_BOUND = Duration.ofSeconds(90);

    private RelayChecks() {
    }

    /** Publishes the event and waits for its OK; fails unless the relay accepted it. */
    static String publishAccepted(NostrSocket socket, Event event) throws Exception {
        Ok ok = socket.publish(event).get(ANSWER_BOUND.toSeconds(), TimeUnit.SECONDS);
        assertTrue(ok.accepted(), "refused: " + ok);
        return event.id();
    }

    /**
     * Publishes one event at a time to the relay until its metrics show a verdict that came from a worker: the
     * relay has joined the cluster and sees the worker's consumer.
     */
    static void awaitWorkerPath(NostrSocket socket, Supplier<String> relayMetrics, Duration bound) throws Exception {
        EventSigner prober = EventSigner.random();
        awaitTrue(bound, "the relay never sent signatures to a worker", () -> {
            try {
                publishAccepted(socket, prober.sign(now(), 1, List.of(), "probe " + System.nanoTime()));
                return HttpProbe.sum(relayMetrics.get(), RELAY_VERDICTS, Map.of("path", "worker")) > 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Ephemeral probes on one relay until a live subscriber on the other sees one: replication works. */
    static void awaitReplication(NostrSocket from, NostrSocket to, Duration bound) throws Exception {
        EventSigner prober = EventSigner.random();
        BlockingQueue<String> live = to.subscribe(byAuthor(prober));
        awaitTrue(bound, "no event replicated", () -> {
            try {
                publishAccepted(from, prober.sign(now(), 20_000, List.of(), "probe " + System.nanoTime()));
                return live.poll(500, TimeUnit.MILLISECONDS) != null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The ids that arrive on a live subscription until all of {@code expected} came or the bound passed. */
    static Set<String> awaitLive(BlockingQueue<String> live, Set<String> expected) throws InterruptedException {
        Set<String> delivered = new HashSet<>();
        long deadline = System.nanoTime() + ANSWER_BOUND.toNanos();
        while (!delivered.containsAll(expected) && System.nanoTime() < deadline) {
            String id = live.poll(1, TimeUnit.SECONDS);
            if (id != null) {
                delivered.add(id);
            }
        }
        return delivered;
    }

    static JsonObject byAuthor(EventSigner author) {
        return new JsonObject().put("authors", new JsonArray().add(author.pubkey()));
    }

    /** The same event with its signature's last character changed: well-formed, id right, signature wrong. */
    static Event withCorruptedSignature(Event event) {
        String sig = event.sig();
        char last = sig.charAt(sig.length() - 1);
        String corrupted = sig.substring(0, sig.length() - 1) + (last == '0' ? '1' : '0');
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(),
                corrupted);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static void awaitTrue(Duration bound, String failure, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure + " within " + bound);
            }
            Thread.sleep(200);
        }
    }
}
