package org.nostrgpu.relay.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;
import org.nostrgpu.common.answer.Answer;
import org.nostrgpu.common.batch.BatcherOverloadedException;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.live.EventFanOut;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.StoreOutcome;
import org.nostrgpu.relay.store.StoredEvents;
import org.nostrgpu.relay.verify.VerificationClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingest stage's order of checks and its guarantees, with the store, verifier and fan-out recorded. */
class EventIngesterTest {
    private static final long NOW = 1_700_000_000L;
    private static final Limits LIMITS = new Limits(100_000, 10, 10, 100, 3, 100, 60, 3_600, 0);

    private final EventSigner author = EventSigner.random();
    private final List<String> calls = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private Future<Verdict> verdict = Future.succeededFuture(Verdict.VALID);
    private Future<StoreOutcome> storeOutcome = Future.succeededFuture(StoreOutcome.STORED);

    private final EventStore store = new EventStore() {
        @Override
        public Future<Boolean> isKnown(String id) {
            calls.add("isKnown");
            return Future.succeededFuture(known.contains(id));
        }

        @Override
        public Future<StoreOutcome> store(Event event) {
            calls.add("store");
            return storeOutcome;
        }

        @Override
        public Future<StoredEvents> queryEvents(List<Filter> filters, int maxLimit, long nowSeconds) {
            throw new UnsupportedOperationException("ingest never queries");
        }

        @Override
        public Future<Long> count(List<Filter> filters, long nowSeconds) {
            throw new UnsupportedOperationException("ingest never counts");
        }

        @Override
        public Future<ItemSet> negentropyItems(Filter filter, long nowSeconds, int maxItems, long budgetMillis) {
            throw new UnsupportedOperationException("ingest never reconciles");
        }

        @Override
        public Future<Integer> removeExpired(long nowSeconds) {
            throw new UnsupportedOperationException("ingest never collects");
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    };

    private final VerificationClient verifier = new VerificationClient() {
        @Override
        public Future<Verdict> verify(Event event) {
            calls.add("verify");
            return verdict;
        }

        @Override
        public String describe() {
            return "recorded";
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    };

    private final EventFanOut fanOut = (event, json) -> {
        assertEquals(event.toJson(), json);
        calls.add("fanOut");
    };

    private final EventIngester ingester = new EventIngester(store, verifier, fanOut, LIMITS, () -> NOW);

    private OkReply ingest(Event event) {
        Future<OkReply> reply = ingester.ingest(event);
        assertTrue(reply.isComplete());
        return reply.result();
    }

    private Event note(List<List<String>> tags, String content) {
        return author.sign(NOW, 1, tags, content);
    }

    @Test
    void aNewValidEventIsCheckedVerifiedStoredThenFannedOut() {
        assertEquals(OkReply.success(), ingest(note(List.of(), "hello")));
        assertEquals(List.of("isKnown", "verify", "store", "fanOut"), calls);
        assertEquals(1, ingester.acceptedCount());
    }

    @Test
    void structuralLimitsComeBeforeTheIdCheck() {
        Event tooManyTags = note(List.of(List.of("t", "1"), List.of("t", "2"), List.of("t", "3"), List.of("t", "4")), "");
        Event tampered = new Event(tooManyTags.id(), tooManyTags.pubkey(), NOW, 1, tooManyTags.tags(), "changed",
                tooManyTags.sig());
        OkReply reply = ingest(tampered);
        assertFalse(reply.accepted());
        assertTrue(reply.message().startsWith("invalid: too many tags"), reply.message());
        assertEquals(List.of(), calls);
    }

    @Test
    void eachRefusalBeforeTheStoreTouchesNothing() {
        Event good = note(List.of(), "x");
        Event tampered = new Event(good.id(), good.pubkey(), NOW, 1, List.of(), "y", good.sig());
        assertEquals(OkReply.of(Answer.ID_MISMATCH), ingest(tampered));
        assertTrue(ingest(note(List.of(), "é".repeat(51))).message().startsWith("invalid: content too large"));
        assertTrue(ingest(author.sign(NOW + 61, 1, List.of(), "")).message().startsWith("invalid: created_at"));
        assertTrue(ingest(author.sign(NOW - 3_601, 1, List.of(), "")).message().startsWith("invalid: created_at"));
        assertEquals(OkReply.of(Answer.PROTECTED), ingest(note(List.of(List.of("-")), "")));
        assertEquals(OkReply.of(Answer.EXPIRED),
                ingest(note(List.of(List.of("expiration", Long.toString(NOW))), "")));
        assertEquals(List.of(), calls);
    }

    @Test
    void aKnownIdIsADuplicateWithoutVerification() {
        Event event = note(List.of(), "again");
        known.add(event.id());
        assertEquals(OkReply.of(Answer.ALREADY_STORED), ingest(event));
        assertEquals(List.of("isKnown"), calls);
    }

    @Test
    void aBadSignatureIsNeverStoredNorFannedOut() {
        verdict = Future.succeededFuture(Verdict.INVALID);
        assertEquals(OkReply.of(Answer.BAD_SIGNATURE), ingest(note(List.of(), "forged")));
        assertEquals(List.of("isKnown", "verify"), calls);
    }

    @Test
    void anUnverifiedOrOverloadedVerificationRefusesTheEvent() {
        verdict = Future.succeededFuture(Verdict.NOT_VERIFIED);
        assertEquals(OkReply.of(Answer.VERIFICATION_UNAVAILABLE), ingest(note(List.of(), "a")));
        verdict = Future.failedFuture(new BatcherOverloadedException("verify", 10));
        assertEquals(OkReply.of(Answer.OVERLOADED), ingest(note(List.of(), "b")));
        assertFalse(calls.contains("store"));
        assertFalse(calls.contains("fanOut"));
    }

    @Test
    void ephemeralEventsAreFannedOutWithoutStorage() {
        assertEquals(OkReply.success(), ingest(author.sign(NOW, 20_000, List.of(), "")));
        assertEquals(List.of("isKnown", "verify", "fanOut"), calls);
    }

    @Test
    void onlyNewlyStoredEventsAreFannedOut() {
        storeOutcome = Future.succeededFuture(StoreOutcome.SUPERSEDED);
        OkReply superseded = ingest(author.sign(NOW, 0, List.of(), "{}"));
        assertEquals(new OkReply(true, "duplicate: a newer version of this replaceable event is stored"), superseded);

        storeOutcome = Future.succeededFuture(StoreOutcome.DELETED);
        OkReply deleted = ingest(note(List.of(), "deleted before"));
        assertEquals(new OkReply(false, "blocked: this event was deleted by its author"), deleted);

        storeOutcome = Future.failedFuture(new IllegalStateException("disk full"));
        assertEquals(OkReply.of(Answer.STORE_FAILED), ingest(note(List.of(), "unlucky")));

        storeOutcome = Future.failedFuture(new BatcherOverloadedException("writer", 10));
        assertEquals(OkReply.of(Answer.OVERLOADED), ingest(note(List.of(), "busy")));
        assertFalse(calls.contains("fanOut"));
    }

    @Test
    void theSameEventSubmittedTwiceWhileInFlightIsProcessedOnce() {
        Promise<Verdict> pending = Promise.promise();
        verdict = pending.future();
        Event event = note(List.of(), "twice");
        Future<OkReply> first = ingester.ingest(event);
        Future<OkReply> second = ingester.ingest(event);
        assertEquals(1, ingester.inFlight());
        assertFalse(first.isComplete());

        pending.complete(Verdict.VALID);
        assertEquals(OkReply.success(), first.result());
        assertEquals(OkReply.of(Answer.ALREADY_STORED), second.result());
        assertEquals(List.of("isKnown", "verify", "store", "fanOut"), calls);
        assertEquals(0, ingester.inFlight());
    }

    @Test
    void aJoinedSubmissionSharesARefusal() {
        Promise<Verdict> pending = Promise.promise();
        verdict = pending.future();
        Event event = note(List.of(), "forged twice");
        Future<OkReply> first = ingester.ingest(event);
        Future<OkReply> second = ingester.ingest(event);
        pending.complete(Verdict.INVALID);
        assertEquals(OkReply.of(Answer.BAD_SIGNATURE), first.result());
        assertEquals(OkReply.of(Answer.BAD_SIGNATURE), second.result());
    }
}
