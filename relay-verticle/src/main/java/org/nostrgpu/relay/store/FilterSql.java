package org.nostrgpu.relay.store;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import org.nostrgpu.common.filter.Filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates NIP-01 filters into parameterised SQL over the events and tags tables, with the semantics of
 * {@link Filter}: ids, authors and kinds exact; for each {@code #x}, a tag named x with a first value in the
 * set; since and until inclusive; expired events (expiration &lt;= now) hidden. Values are compared as
 * {@link StoredValues} stores them, so a filter value that cannot be a stored id or pubkey matches nothing.
 */
final class FilterSql {
    /** Sets larger than this are passed as one JSON array parameter, so no statement nears SQLite's variable limit. */
    static final int MAX_INLINE_VALUES = 64;

    /** A statement and its parameters. */
    record Statement(String sql, Tuple params) {
    }

    private final StringBuilder where = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    private FilterSql() {
    }

    /**
     * One row with one column: the JSON of every event a REQ returns, joined with {@code '\n'}, or NULL when there
     * is none; empty when no filter can return anything. Each filter contributes its newest {@code limit} events
     * (its own limit capped at {@code maxLimit}); the union drops an event matched by several filters; the result
     * is newest first, then lowest id. Canonical JSON escapes every line feed, so {@code '\n'} only separates.
     *
     * <p>One row rather than one per event: the JDBC client's cost per row (metadata, conversions, a Row object)
     * was most of a 100-event query's CPU time.
     */
    static Optional<Statement> selectJoined(List<Filter> filters, int maxLimit, long nowSeconds) {
        FilterSql sql = new FilterSql();
        List<String> branches = new ArrayList<>();
        for (Filter filter : filters) {
            int limit = filter.limit() == null ? maxLimit : Math.min(filter.limit(), maxLimit);
            if (limit <= 0 || filter.matchesNothing()) {
                continue;
            }
            sql.where.setLength(0);
            sql.addConditions(filter);
            sql.params.add(nowSeconds);
            sql.params.add(limit);
            // the inner SELECT keeps ORDER BY and LIMIT per filter, which a compound SELECT would not allow
            branches.add("SELECT * FROM (SELECT id, created_at, json FROM events WHERE " + sql.where
                    + " AND (expiration IS NULL OR expiration > ?) ORDER BY created_at DESC, id ASC LIMIT ?)");
        }
        if (branches.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Statement("SELECT group_concat(json, char(10) ORDER BY created_at DESC, id ASC) FROM ("
                + String.join(" UNION ", branches) + ")", Tuple.wrap(sql.params)));
    }

    /** Counts the distinct unexpired events matching any filter; empty when no filter can match. */
    static Optional<Statement> count(List<Filter> filters, long nowSeconds) {
        FilterSql sql = new FilterSql();
        List<String> branches = new ArrayList<>();
        for (Filter filter : filters) {
            if (filter.matchesNothing()) {
                continue;
            }
            sql.where.setLength(0);
            sql.addConditions(filter);
            sql.params.add(nowSeconds);
            branches.add("SELECT seq FROM events WHERE " + sql.where + " AND (expiration IS NULL OR expiration > ?)");
        }
        if (branches.isEmpty()) {
            return Optional.empty();
        }
        // UNION (not OR) lets each branch use its own index and counts an event matching several filters once
        return Optional.of(new Statement("SELECT count(*) FROM (" + String.join(" UNION ", branches) + ")",
                Tuple.wrap(sql.params)));
    }

    private void addConditions(Filter filter) {
        where.append("1");
        if (filter.ids() != null) {
            andKeys("id", filter.ids());
        }
        if (filter.authors() != null) {
            andKeys("pubkey", filter.authors());
        }
        if (filter.kinds() != null) {
            andIn("kind", new ArrayList<>(filter.kinds()));
        }
        addTimeRange(filter);
        if (filter.tagValues() != null) {
            for (Map.Entry<Character, Set<String>> entry : filter.tagValues().entrySet()) {
                // the tag rows carry the event's created_at and kind, so the index narrows by them too
                where.append(" AND seq IN (SELECT event_seq FROM tags WHERE name = ?");
                params.add(String.valueOf(entry.getKey()));
                andTagValues(entry.getValue());
                addTimeRange(filter);
                if (filter.kinds() != null) {
                    andIn("kind", new ArrayList<>(filter.kinds()));
                }
                where.append(')');
            }
        }
    }

    private void addTimeRange(Filter filter) {
        if (filter.since() != null) {
            where.append(" AND created_at >= ?");
            params.add(filter.since());
        }
        if (filter.until() != null) {
            where.append(" AND created_at <= ?");
            params.add(filter.until());
        }
    }

    /** An id or pubkey column: only 64-lowercase-hex values can match, as their bytes. */
    private void andKeys(String column, Collection<String> hexValues) {
        List<String> keys = hexValues.stream().filter(StoredValues::isKey).toList();
        if (keys.isEmpty()) {
            where.append(" AND 0");
        } else if (keys.size() <= MAX_INLINE_VALUES) {
            andIn(column, keys.stream().<Object>map(StoredValues::key).toList());
        } else {
            where.append(" AND ").append(column).append(" IN (SELECT unhex(value) FROM json_each(?))");
            params.add(new JsonArray(new ArrayList<>(keys)).encode());
        }
    }

    /** tags.value: each value as {@link StoredValues#tagValue} stores it. */
    private void andTagValues(Collection<String> values) {
        if (values.size() <= MAX_INLINE_VALUES) {
            andIn("value", values.stream().map(StoredValues::tagValue).toList());
            return;
        }
        JsonArray keys = new JsonArray();
        JsonArray texts = new JsonArray();
        for (String value : values) {
            (StoredValues.isKey(value) ? keys : texts).add(value);
        }
        where.append(" AND value IN (SELECT unhex(value) FROM json_each(?) UNION ALL SELECT value FROM json_each(?))");
        params.add(keys.encode());
        params.add(texts.encode());
    }

    /** {@code column = ?} or {@code column IN (?, ...)} for at most {@link #MAX_INLINE_VALUES} (non-empty) values. */
    private void andIn(String column, List<?> values) {
        if (values.size() > MAX_INLINE_VALUES) {
            where.append(" AND ").append(column).append(" IN (SELECT value FROM json_each(?))");
            params.add(new JsonArray(new ArrayList<>(values)).encode());
            return;
        }
        where.append(" AND ").append(column);
        if (values.size() == 1) {
            where.append(" = ?");
            params.add(values.get(0));
            return;
        }
        where.append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            where.append(i == 0 ? "?" : ", ?");
            params.add(values.get(i));
        }
        where.append(')');
    }
}
