package org.nostrgpu.relay.sync;

import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.relay.bulk.ReadOnlyDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The negentropy items of the stored events that match a filter: (created_at, id) in ascending order, read from
 * the {@code events} table: for a client's NEG-OPEN by the store's readers ({@code EventStore#negentropyItems},
 * through {@link #select} and {@link #read}), for the relay's own catch-up and tools with a plain read-only JDBC
 * connection ({@link #load}, blocking: call it on a worker thread). The filter
 * is translated into SQL whole, so no event is decoded; {@code limit} plays no part (the whole matching set is
 * reconciled). Expired events are left out, as queries leave them out.
 */
public final class StoredItems {
    private StoredItems() {
    }

    /** More events match than a session may hold. */
    public static final class TooManyItemsException extends RuntimeException {
        public TooManyItemsException(int maxItems) {
            super("too many events match this filter (at most " + maxItems + " per negentropy session)");
        }
    }

    /** Reading the items ran past the time budget of a client's negentropy session. */
    public static final class OverBudgetException extends RuntimeException {
        public OverBudgetException(long budgetMillis, Throwable cause) {
            super("loading the events matching this filter ran past the relay's negentropy time budget ("
                    + budgetMillis + " ms); narrow the filter", cause);
        }
    }

    /**
     * @param maxItems more matching events than this fail with {@link TooManyItemsException}
     */
    public static ItemSet load(Path databaseFile, Filter filter, long nowSeconds, int maxItems)
            throws SQLException, TooManyItemsException {
        if (filter.matchesNothing()) {
            return new ItemSet.Builder(0).build();
        }
        List<Object> params = new ArrayList<>();
        String sql = select(filter, nowSeconds, params);
        try (Connection connection = ReadOnlyDatabase.open(databaseFile);
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            return read(select, maxItems);
        }
    }

    /**
     * Runs {@code select} (a statement of {@link #select}, its parameters bound) and reads its items.
     *
     * @param maxItems more matching events than this fail with {@link TooManyItemsException}
     */
    public static ItemSet read(PreparedStatement select, int maxItems) throws SQLException {
        ItemSet.Builder items = new ItemSet.Builder(1_024);
        select.setFetchSize(10_000);
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                if (items.size() == maxItems) {
                    throw new TooManyItemsException(maxItems);
                }
                items.add(rows.getLong(1), rows.getBytes(2));
            }
        }
        return items.build();
    }

    /**
     * The statement reading the filter's items in order, its parameters added to {@code params}. The store's indexes
     * end with (created_at DESC, id): walked backwards they give created_at ascending, and SQLite sorts only the ids
     * within one created_at ({@code StoredItemsPlanTest}). The filter must not be one that matches nothing.
     */
    public static String select(Filter filter, long nowSeconds, List<Object> params) {
        return "SELECT created_at, id FROM events WHERE " + conditions(filter, nowSeconds, params)
                + " ORDER BY created_at, id";
    }

    private static String conditions(Filter filter, long nowSeconds, List<Object> params) {
        List<String> where = new ArrayList<>();
        where.add("(expiration IS NULL OR expiration > ?)");
        params.add(nowSeconds);
        if (filter.ids() != null) {
            where.add("id IN (" + placeholders(filter.ids().size()) + ")");
            filter.ids().forEach(id -> params.add(Hex.decode(id)));
        }
        if (filter.authors() != null) {
            where.add("pubkey IN (" + placeholders(filter.authors().size()) + ")");
            filter.authors().forEach(author -> params.add(Hex.decode(author)));
        }
        if (filter.kinds() != null) {
            where.add("kind IN (" + placeholders(filter.kinds().size()) + ")");
            params.addAll(filter.kinds());
        }
        if (filter.since() != null) {
            where.add("created_at >= ?");
            params.add(filter.since());
        }
        if (filter.until() != null) {
            where.add("created_at <= ?");
            params.add(filter.until());
        }
        if (filter.tagValues() != null) {
            for (Map.Entry<Character, Set<String>> tag : filter.tagValues().entrySet()) {
                where.add("seq IN (SELECT event_seq FROM tags WHERE name = ? AND value IN ("
                        + placeholders(tag.getValue().size()) + "))");
                params.add(String.valueOf(tag.getKey()));
                // the store keeps a 64-character lowercase hex value as its 32 bytes, any other value as text
                tag.getValue().forEach(value -> params.add(Hex.isLowerHex(value, 64) ? Hex.decode(value) : value));
            }
        }
        return String.join(" AND ", where);
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
