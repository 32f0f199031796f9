package org.nostrgpu.relay.live;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.filter.FilterParser;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionRegistryTest {
    private final EventSigner author = EventSigner.random();
    private final SubscriptionRegistry registry = new SubscriptionRegistry();

    /** Records deliveries as "subscriptionId:eventId". */
    private static final class RecordingSink implements LiveSink {
        final List<String> delivered = new ArrayList<>();
        int calls;

        @Override
        public void deliverLive(List<LiveSubscription> matched, LiveEvent event) {
            calls++;
            matched.forEach(subscription -> delivered.add(subscription.id() + ":" + event.id()));
        }
    }

    private static Filter filter(String json) throws Exception {
        return FilterParser.parse(json);
    }

    @Test
    void deliversToEveryMatchingSubscriptionOncePerConnection() throws Exception {
        RecordingSink alice = new RecordingSink();
        RecordingSink bob = new RecordingSink();
        registry.add(new LiveSubscription("notes", List.of(filter("{\"kinds\":[1]}")), alice, 10));
        registry.add(new LiveSubscription("mine", List.of(filter("{\"authors\":[\"" + author.pubkey() + "\"]}")), alice, 10));
        registry.add(new LiveSubscription("reactions", List.of(filter("{\"kinds\":[7]}")), bob, 10));

        Event note = author.sign(1, 1, List.of(), "");
        registry.fanOut(note, note.toJson());
        assertEquals(1, alice.calls, "one hand-off per connection");
        assertEquals(List.of("mine:" + note.id(), "notes:" + note.id()), alice.delivered.stream().sorted().toList());
        assertEquals(List.of(), bob.delivered);
    }

    @Test
    void limitsDoNotApplyToLiveEvents() throws Exception {
        RecordingSink sink = new RecordingSink();
        registry.add(new LiveSubscription("zero", List.of(filter("{\"limit\":0}")), sink, 10));
        Event note = author.sign(1, 1, List.of(), "");
        registry.fanOut(note, note.toJson());
        assertEquals(List.of("zero:" + note.id()), sink.delivered);
    }

    @Test
    void replacedAndRemovedSubscriptionsGetNothing() throws Exception {
        RecordingSink sink = new RecordingSink();
        LiveSubscription first = new LiveSubscription("s", List.of(filter("{\"kinds\":[1]}")), sink, 10);
        registry.add(first);
        registry.add(new LiveSubscription("s", List.of(filter("{\"kinds\":[2]}")), sink, 10));
        registry.remove(first); // stale handle: must not remove the replacement
        assertEquals(1, registry.size());

        Event kind1 = author.sign(1, 1, List.of(), "");
        Event kind2 = author.sign(1, 2, List.of(), "");
        registry.fanOut(kind1, kind1.toJson());
        registry.fanOut(kind2, kind2.toJson());
        assertEquals(List.of("s:" + kind2.id()), sink.delivered);

        registry.removeAll(sink);
        assertEquals(0, registry.size());
        registry.fanOut(kind2, kind2.toJson());
        assertEquals(1, sink.delivered.size());
    }

    @Test
    void liveEventsAreHeldUntilEoseAndTheGateIsBounded() throws Exception {
        LiveSubscription subscription = new LiveSubscription("s", List.of(Filter.all()), new RecordingSink(), 2);
        LiveEvent a = LiveEvent.of("a", "{a}");
        LiveEvent b = LiveEvent.of("b", "{b}");
        assertTrue(subscription.isAwaitingEose());
        assertTrue(subscription.hold(a));
        assertTrue(subscription.hold(b));
        assertFalse(subscription.hold(LiveEvent.of("c", "{c}")));
        assertEquals(List.of(a, b), subscription.releaseHeld());
        assertFalse(subscription.isAwaitingEose());
        assertTrue(subscription.isActive());
        subscription.deactivate();
        assertFalse(subscription.isActive());
    }

    @Test
    void theFramePrefixIsTheSubscriptionIdAsAJsonString() {
        LiveSubscription subscription = new LiveSubscription("a\"b\\c", List.of(Filter.all()), new RecordingSink(), 1);
        assertEquals("[\"EVENT\",\"a\\\"b\\\\c\",",
                new String(subscription.framePrefix(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void deliveryRunsOnTheFanOutExecutorAndEncodesTheEventOnceForAllSubscribers() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        SubscriptionRegistry deferred = new SubscriptionRegistry(queued::add);
        List<LiveEvent> received = new ArrayList<>();
        LiveSink sink = (matched, event) -> matched.forEach(subscription -> received.add(event));
        deferred.add(new LiveSubscription("x", List.of(Filter.all()), sink, 10));
        deferred.add(new LiveSubscription("y", List.of(Filter.all()), sink, 10));
        deferred.add(new LiveSubscription("z", List.of(Filter.all()), (matched, event) -> received.add(event), 10));

        Event note = author.sign(1, 1, List.of(), "caf\u00e9");
        deferred.fanOut(note, note.toJson());
        assertEquals(List.of(), received, "nothing on the publishing thread");
        assertEquals(1, queued.size());
        queued.get(0).run();
        assertEquals(3, received.size());
        assertTrue(received.stream().allMatch(event -> event == received.get(0)), "one LiveEvent for every subscriber");
        assertEquals(note.toJson(), new String(received.get(0).json(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void nothingIsQueuedWhileNobodySubscribes() {
        List<Runnable> queued = new ArrayList<>();
        SubscriptionRegistry deferred = new SubscriptionRegistry(queued::add);
        Event note = author.sign(1, 1, List.of(), "");
        deferred.fanOut(note, note.toJson());
        assertEquals(List.of(), queued);
    }
}
