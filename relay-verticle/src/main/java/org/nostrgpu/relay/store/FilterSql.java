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
 * set; since and until inclusive; expired events (expiration &lt;= now) hidden.
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
     * The newest {@code limit} matching events as (id, created_at, json), newest first then lowest id; empty when
     * the filter matches nothing or the limit is not positive.
     */
    static Optional<Statement> select(Filter filter, int limit, long nowSeconds) {
        if (limit <= 0 || filter.matchesNothing()) {
            return Optional.empty();
        }
        FilterSql sql = new FilterSql();
        sql.addConditions(filter);
        sql.params.add(nowSeconds);
        sql.params.add(limit);
        return Optional.of(new Statement("SELECT id, created_at, json FROM events WHERE " + sql.where
                + " AND (expiration IS NULL OR expiration > ?) ORDER BY created_at DESC, id ASC LIMIT ?",
                Tuple.wrap(sql.params)));
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
            and("id", filter.ids());
        }
        if (filter.authors() != null) {
            and("pubkey", filter.authors());
        }
        if (filter.kinds() != null) {
            and("kind", filter.kinds());
        }
        addTimeRange(filter);
        if (filter.tagValues() != null) {
            for (Map.Entry<Character, Set<String>> entry : filter.tagValues().entrySet()) {
                // the tag rows carry the event's created_at and kind, so the index narrows by them too
                where.append(" AND seq IN (SELECT event_seq FROM tags WHERE name = ?");
                params.add(String.valueOf(entry.getKey()));
                and("value", entry.getValue());
                addTimeRange(filter);
                if (filter.kinds() != null) {
                    and("kind", filter.kinds());
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

    private void and(String column, Collection<?> values) {
        where.append(" AND ").append(column);
        if (values.size() == 1) {
            where.append(" = ?");
            params.add(values.iterator().next());
        } else if (values.size() <= MAX_INLINE_VALUES) {
            where.append(" IN (");
            boolean first = true;
            for (Object value : values) {
                where.append(first ? "?" : ", ?");
                params.add(value);
                first = false;
            }
            where.append(')');
        } else {
            where.append(" IN (SELECT value FROM json_each(?))");
            params.add(new JsonArray(new ArrayList<>(values)).encode());
        }
    }
}
