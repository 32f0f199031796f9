package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;

import java.util.List;

/**
 * The relay's durable event storage (SQLite through sqlite-jdbc, on the store's own threads). All methods are
 * asynchronous and safe to call from any thread; writes are group-committed internally. Futures may complete on a
 * store thread: a caller that needs its own context moves there itself.
 */
public interface EventStore {

    /**
     * True when this id is stored or was deleted (NIP-09): the event needs no verification or storage.
     * Lookups are batched internally.
     */
    Future<Boolean> isKnown(String id);

    /**
     * Stores one verified, non-ephemeral event with NIP-01/09/40 semantics. Completes only after the
     * transaction holding it has committed. Concurrent calls are grouped into one transaction.
     */
    Future<StoreOutcome> store(Event event);

    /**
     * {@link #store(Event)} for a caller that already holds the event's canonical JSON ({@link Event#toJson()}, for
     * its fan-out): the store keeps that text instead of encoding the event a second time.
     */
    default Future<StoreOutcome> store(Event event, String canonicalJson) {
        return store(event);
    }

    /**
     * Stores several events as {@link #store} would, handed to the writer together (one queue operation, in one group
     * commit when they fit in one): for a caller that receives events in bursts, such as a node absorbing the events
     * its cluster peers accepted. One future per event, in order.
     */
    default List<Future<StoreOutcome>> storeAll(List<Event> events) {
        return events.stream().map(this::store).toList();
    }

    /**
     * Stored events matching any of the filters, as the UTF-8 bytes of their canonical JSON, hiding expired ones
     * (expiration &lt;= nowSeconds). Each filter contributes at most min(limit, maxLimit) events, newest first
     * (created_at descending, then id ascending); an event matching several filters appears once. The future may
     * complete on a thread of the store's own, not the caller's context.
     */
    Future<StoredEvents> queryEvents(List<Filter> filters, int maxLimit, long nowSeconds);

    /** {@link #queryEvents} as JSON text. */
    default Future<List<String>> query(List<Filter> filters, int maxLimit, long nowSeconds) {
        return queryEvents(filters, maxLimit, nowSeconds).map(StoredEvents::asStrings);
    }

    /** NIP-45: how many stored, unexpired events match any of the filters. */
    Future<Long> count(List<Filter> filters, long nowSeconds);

    /**
     * The NIP-77 items (created_at, id) of the stored events matching a client's NEG-OPEN filter, read like a REQ
     * (on the store's readers) within {@code budgetMillis} (0: no bound); fails with
     * {@code StoredItems.TooManyItemsException} past {@code maxItems} and {@code StoredItems.OverBudgetException}
     * past the budget.
     */
    Future<ItemSet> negentropyItems(Filter filter, long nowSeconds, int maxItems, long budgetMillis);

    /** Removes events expired at nowSeconds and checkpoints the WAL; completes with the number removed. */
    Future<Integer> removeExpired(long nowSeconds);

    Future<Void> close();
}
