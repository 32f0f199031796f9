package org.nostrgpu.relay.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.nostrgpu.common.answer.Answer;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.batch.BatcherOverloadedException;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.WritePolicy;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventIds;
import org.nostrgpu.common.event.KindClass;
import org.nostrgpu.relay.live.EventFanOut;
import org.nostrgpu.relay.store.EventStore;
import org.nostrgpu.relay.store.StoreOutcome;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.relay.verify.VerificationClient;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Takes a parsed event to its OK answer, in this order: structural limits → id recomputed and compared →
 * NIP-42 auth events refused → the write policy (authors, kinds, NIP-13 proof of work) → NIP-70 protected (only when the connection vouches that its author authenticated) →
 * NIP-40 already expired → duplicate (stored or deleted) → signature → ephemeral events fanned out, others stored
 * (answer after the commit) and fanned out when new. Nothing is stored or fanned out before its signature passed.
 *
 * <p>Shared by every connection on the node. Submissions of an id that is already being processed join
 * that processing instead of verifying and storing it a second time.
 */
public final class EventIngester {
    private static final System.Logger LOG = System.getLogger(EventIngester.class.getName());
    /** NIP-42: the kind of auth events, which relays must never store or broadcast. */
    public static final int AUTH_KIND = 22242;

    private final EventStore store;
    private final VerificationClient verifier;
    private final EventFanOut fanOut;
    private final EventLimitsCheck limits;
    private final WritePolicyCheck policy;
    private final LongSupplier nowSeconds;
    private final Map<String, Future<OkReply>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();

    /** Accepting every event the protocol allows. */
    public EventIngester(EventStore store, VerificationClient verifier, EventFanOut fanOut, Limits limits,
                         LongSupplier nowSeconds) {
        this(store, verifier, fanOut, limits, WritePolicy.open(), nowSeconds);
    }

    /** @param writePolicy the operator's rules on authors, kinds and NIP-13 proof of work */
    public EventIngester(EventStore store, VerificationClient verifier, EventFanOut fanOut, Limits limits,
                         WritePolicy writePolicy, LongSupplier nowSeconds) {
        this.store = store;
        this.verifier = verifier;
        this.fanOut = fanOut;
        this.limits = new EventLimitsCheck(limits);
        this.policy = new WritePolicyCheck(writePolicy);
        this.nowSeconds = nowSeconds;
    }

    /** An event from a connection whose author has not authenticated (protected events are refused). */
    public Future<OkReply> ingest(Event event) {
        return ingest(event, false);
    }

    /**
     * @param authorAuthenticated the connection authenticated (NIP-42) as the event's author: a protected event
     *                            (NIP-70) is then accepted like any other
     */
    public Future<OkReply> ingest(Event event, boolean authorAuthenticated) {
        long now = nowSeconds.getAsLong();
        String violation = limits.violation(event, now);
        if (violation != null) {
            return Future.succeededFuture(OkReply.of(AnswerPrefix.INVALID, violation));
        }
        if (!EventIds.hasValidId(event)) {
            return Future.succeededFuture(OkReply.of(Answer.ID_MISMATCH));
        }
        if (event.kind() == AUTH_KIND) {
            return Future.succeededFuture(OkReply.of(Answer.AUTH_EVENT_PUBLISHED));
        }
        OkReply refused = policy.refusal(event);
        if (refused != null) {
            return Future.succeededFuture(refused);
        }
        if (event.isProtected() && !authorAuthenticated) {
            return Future.succeededFuture(OkReply.of(Answer.PROTECTED));
        }
        Optional<Long> expiration = event.expiration();
        if (expiration.isPresent() && expiration.get() <= now) {
            return Future.succeededFuture(OkReply.of(Answer.EXPIRED));
        }
        Promise<OkReply> promise = Promise.promise();
        Future<OkReply> running = inFlight.putIfAbsent(event.id(), promise.future());
        if (running != null) {
            // The first submission stores it; for this one it is then a duplicate.
            return running.map(reply -> reply.equals(OkReply.success()) ? OkReply.of(Answer.ALREADY_STORED) : reply);
        }
        process(event)
                .recover(failure -> Future.succeededFuture(answerForUnexpectedFailure(event, failure)))
                .onComplete(done -> {
                    inFlight.remove(event.id());
                    promise.complete(done.result());
                });
        return promise.future();
    }

    /**
     * The signature verdict of an event that is not ingested (a NIP-42 auth event), on the same verification path as
     * every event. The id must already be checked.
     */
    public Future<Verdict> verifySignature(Event event) {
        return verifier.verify(event);
    }

    /** Events processed right now (between the duplicate check and the answer). */
    public int inFlight() {
        return inFlight.size();
    }

    /** Events accepted as new (stored, or fanned out when ephemeral) since start. */
    public long acceptedCount() {
        return accepted.sum();
    }

    private Future<OkReply> process(Event event) {
        return store.isKnown(event.id()).compose(known -> {
            if (known) {
                // Stored or deleted: either way nothing more to do, and no signature to spend time on.
                return Future.succeededFuture(OkReply.of(Answer.ALREADY_STORED));
            }
            return verifier.verify(event).transform(verdict -> {
                if (verdict.failed()) {
                    return Future.succeededFuture(answerForVerificationFailure(event, verdict.cause()));
                }
                return switch (verdict.result()) {
                    case VALID -> accept(event);
                    case INVALID -> Future.succeededFuture(OkReply.of(Answer.BAD_SIGNATURE));
                    case NOT_VERIFIED -> Future.succeededFuture(OkReply.of(Answer.VERIFICATION_UNAVAILABLE));
                };
            });
        });
    }

    private Future<OkReply> accept(Event event) {
        if (event.kindClass() == KindClass.EPHEMERAL) {
            accepted.increment();
            fanOut.fanOut(event, event.toJson());
            return Future.succeededFuture(OkReply.success());
        }
        // encoded once, here: the store keeps this text and the fan-out sends it
        String json = event.toJson();
        return store.store(event, json).map(outcome -> {
            if (outcome == StoreOutcome.STORED) {
                accepted.increment();
                fanOut.fanOut(event, json);
            }
            return OkReply.of(outcome);
        }).recover(failure -> {
            if (failure instanceof BatcherOverloadedException) {
                return Future.succeededFuture(OkReply.of(Answer.OVERLOADED));
            }
            LOG.log(Level.WARNING, "could not store event " + event.id(), failure);
            return Future.succeededFuture(OkReply.of(Answer.STORE_FAILED));
        });
    }

    private static OkReply answerForVerificationFailure(Event event, Throwable failure) {
        if (failure instanceof BatcherOverloadedException) {
            return OkReply.of(Answer.OVERLOADED);
        }
        LOG.log(Level.WARNING, "could not verify event " + event.id(), failure);
        return OkReply.of(Answer.VERIFICATION_UNAVAILABLE);
    }

    private static OkReply answerForUnexpectedFailure(Event event, Throwable failure) {
        LOG.log(Level.WARNING, "could not process event " + event.id(), failure);
        return OkReply.of(Answer.INTERNAL_ERROR);
    }
}
