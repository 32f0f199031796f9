package org.nostrgpu.relay.store;

import io.vertx.core.json.JsonArray;
import org.nostrgpu.common.filter.Filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Translates NIP-01 filters into parameterised SQL over the events and tags tables, with the semantics of
 * {@link Filter}: ids, authors and kinds exact; for each {@code #x}, a tag named x with a first value in the
 * set; since and until inclusive; expired events (expiration &lt;= now) hidden. Values are compared as
 * {@link StoredValues} stores them, so a filter value that cannot be a stored id or pubkey matches nothing.
 *
 * <h2>How a filter is read</h2>
 * One condition drives: it picks the index walked, the others are checked on each entry. In this order (the first
 * the filter has): {@code ids} (the unique id index; at most one row per id, sorted afterwards), a tag condition
 * (the tags table, keyed (name, value, created_at DESC, event_id); the condition with the fewest values, preferring
 * 64-hex references), {@code authors} ({@code events_by_author_kind} when kinds are given too, else
 * {@code events_by_author}), {@code kinds} ({@code events_by_kind}), and otherwise {@code events_by_time}. Every one
 * of those indexes ends with (created_at DESC, id), so an equality on its leading columns is walked in NIP-01 order
 * and the walk stops after {@code limit} matches: no sort, and a cost that does not grow with the database.
 *
 * <p>A driving set of several values becomes one branch per value, merged by SQLite in order
 * ({@code UNION ALL}, or {@code UNION} for tags, since one event can carry several of the values) under one
 * {@code ORDER BY ... LIMIT}: a k-way merge that reads about {@code limit} entries whatever the number of values.
 * Sets larger than {@link #MAX_BRANCHES} are cut into groups of that size, one statement each; the caller merges
 * their rows. {@link FilterSqlPlanTest} checks with {@code EXPLAIN QUERY PLAN} that no shape scans a table or sorts.
 *
 * <p>Every SELECT returns (created_at, id, json) rows.
 */
final class FilterSql {
    /** Sets larger than this are passed as one JSON array parameter, so no statement nears SQLite's variable limit. */
    static final int MAX_INLINE_VALUES = 64;
    /**
     * Ids bound one by one up to this many (a REQ for a thread's or a list's events names dozens to hundreds), past it
     * as one JSON array: binding 32-byte blobs costs less than encoding them to hex for SQLite to decode again.
     */
    static final int MAX_INLINE_IDS = 500;
    /** Most values of the driving condition merged in one statement (SQLite allows 500 compound terms). */
    static final int MAX_BRANCHES = 64;

    /** The index SQLite made for {@code events.id UNIQUE} (schema 2 and 3 alike). */
    private static final String ID_INDEX = "sqlite_autoindex_events_1";
    private static final String EVENT_COLUMNS = "e.created_at, e.id, e.json";
    private static final String TAG_COLUMNS = "t.created_at, t.event_id, e.json";
    private static final String NOT_EXPIRED = " AND (e.expiration IS NULL OR e.expiration > ?)";

    /**
     * A statement and its parameters (byte[], String, Long or Integer). {@code ordered}: its rows come newest
     * first, then lowest id, at most the limit; otherwise (ids) the caller sorts and limits them.
     */
    record Statement(String sql, List<Object> params, boolean ordered) {
    }

    private enum Driver { IDS, TAG, AUTHOR_KIND, AUTHOR, KIND, TIME }

    private final Filter filter;
    private final long nowSeconds;
    private final Driver driver;
    private final Character drivingTag;
    private final StringBuilder sql = new StringBuilder(256);
    private final List<Object> params = new ArrayList<>();

    private FilterSql(Filter filter, long nowSeconds) {
        this.filter = filter;
        this.nowSeconds = nowSeconds;
        this.drivingTag = drivingTag(filter);
        if (filter.ids() != null) {
            driver = Driver.IDS;
        } else if (drivingTag != null) {
            driver = Driver.TAG;
        } else if (filter.authors() != null) {
            driver = filter.kinds() != null
                    && (long) filter.authors().size() * filter.kinds().size() <= MAX_BRANCHES
                    ? Driver.AUTHOR_KIND : Driver.AUTHOR;
        } else if (filter.kinds() != null) {
            driver = Driver.KIND;
        } else {
            driver = Driver.TIME;
        }
    }

    /**
     * The statements reading the newest {@code limit} events of one filter (limit already capped); empty when the
     * filter can match nothing. More than one when the driving set is cut into groups.
     */
    static List<Statement> select(Filter filter, int limit, long nowSeconds) {
        if (limit <= 0 || filter.matchesNothing()) {
            return List.of();
        }
        FilterSql builder = new FilterSql(filter, nowSeconds);
        List<List<Object>> groups = builder.drivingGroups();
        List<Statement> statements = new ArrayList<>(groups.size());
        for (List<Object> group : groups) {
            statements.add(builder.selectGroup(group, limit));
        }
        return statements;
    }

    /** Counts the distinct unexpired events matching any filter; null when no filter can match. */
    static Statement count(List<Filter> filters, long nowSeconds) {
        List<String> branches = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Filter filter : filters) {
            if (filter.matchesNothing()) {
                continue;
            }
            FilterSql builder = new FilterSql(filter, nowSeconds);
            for (List<Object> group : builder.drivingGroups()) {
                for (Object value : group) {
                    builder.branch(value, builder.driver == Driver.TAG ? "t.event_seq" : "e.seq");
                    branches.add(builder.sql.toString());
                    builder.sql.setLength(0);
                }
            }
            params.addAll(builder.params);
        }
        if (branches.isEmpty()) {
            return null;
        }
        // UNION counts an event matching several filters (or several driving values) once
        return new Statement("SELECT count(*) FROM (" + String.join(" UNION ", branches) + ")", params, true);
    }

    private Statement selectGroup(List<Object> group, int limit) {
        if (driver == Driver.IDS) {
            branch(group.get(0), EVENT_COLUMNS);
            return new Statement(sql.toString(), List.copyOf(params), false);
        }
        boolean compound = group.size() > 1;
        for (int i = 0; i < group.size(); i++) {
            if (i > 0) {
                sql.append(driver == Driver.TAG ? " UNION " : " UNION ALL ");
            }
            branch(group.get(i), driver == Driver.TAG ? TAG_COLUMNS : EVENT_COLUMNS);
        }
        if (compound) {
            sql.append(" ORDER BY 1 DESC, 2");
        } else {
            sql.append(driver == Driver.TAG ? " ORDER BY t.created_at DESC, t.event_id" : " ORDER BY e.created_at DESC, e.id");
        }
        sql.append(" LIMIT ?");
        params.add(limit);
        Statement statement = new Statement(sql.toString(), List.copyOf(params), true);
        sql.setLength(0);
        params.clear();
        return statement;
    }

    /**
     * The driving values, in groups of at most {@link #MAX_BRANCHES}: one branch per value. For ids the one group
     * holds the whole set (one statement, one index lookup per id); for the time index it holds a single null.
     */
    private List<List<Object>> drivingGroups() {
        List<Object> values = new ArrayList<>();
        switch (driver) {
            case IDS -> values.add(unsortedKeys(filter.ids()));
            case TAG -> filter.tagValues().get(drivingTag).stream().sorted().map(StoredValues::tagValue).forEach(values::add);
            case AUTHOR_KIND -> {
                for (byte[] author : keys(filter.authors())) {
                    filter.kinds().stream().sorted().forEach(kind -> values.add(new Object[] {author, kind}));
                }
            }
            case AUTHOR -> values.addAll(keys(filter.authors()));
            case KIND -> values.addAll(filter.kinds().stream().sorted().toList());
            case TIME -> values.add(null);
        }
        if (driver == Driver.IDS) {
            return ((List<?>) values.get(0)).isEmpty() ? List.of() : List.of(values);
        }
        List<List<Object>> groups = new ArrayList<>();
        for (int from = 0; from < values.size(); from += MAX_BRANCHES) {
            groups.add(values.subList(from, Math.min(values.size(), from + MAX_BRANCHES)));
        }
        return groups;
    }

    /** One SELECT of the given columns for one driving value, every other condition checked on its rows. */
    private void branch(Object drivingValue, String columns) {
        sql.append("SELECT ").append(columns);
        switch (driver) {
            case IDS -> {
                // named, as the others are: with statistics of a small table the planner would rather scan it
                sql.append(" FROM events e INDEXED BY ").append(ID_INDEX).append(" WHERE ");
                in("e.id", (List<?>) drivingValue, true, MAX_INLINE_IDS);
            }
            case TAG -> {
                // CROSS JOIN keeps tags as the outer loop: its key order is the answer's order
                sql.append(" FROM tags t CROSS JOIN events e WHERE t.name = ? AND t.value = ? AND e.seq = t.event_seq");
                params.add(String.valueOf(drivingTag));
                params.add(drivingValue);
                timeRange("t.created_at");
                if (filter.kinds() != null) {
                    sql.append(" AND ");
                    in("t.kind", sortedKinds(), false);
                }
            }
            case AUTHOR_KIND -> {
                Object[] authorKind = (Object[]) drivingValue;
                sql.append(" FROM events e INDEXED BY events_by_author_kind WHERE e.pubkey = ? AND e.kind = ?");
                params.add(authorKind[0]);
                params.add(authorKind[1]);
            }
            case AUTHOR -> {
                sql.append(" FROM events e INDEXED BY events_by_author WHERE e.pubkey = ?");
                params.add(drivingValue);
            }
            case KIND -> {
                sql.append(" FROM events e INDEXED BY events_by_kind WHERE e.kind = ?");
                params.add(drivingValue);
            }
            case TIME -> sql.append(" FROM events e INDEXED BY events_by_time WHERE 1");
        }
        if (driver != Driver.TAG) {
            timeRange("e.created_at");
            if (filter.kinds() != null && driver != Driver.AUTHOR_KIND && driver != Driver.KIND) {
                sql.append(" AND ");
                in("e.kind", sortedKinds(), false);
            }
        }
        if (filter.authors() != null && driver != Driver.AUTHOR && driver != Driver.AUTHOR_KIND) {
            sql.append(" AND ");
            in("e.pubkey", keys(filter.authors()), true);
        }
        if (filter.tagValues() != null) {
            filter.tagValues().entrySet().stream()
                    .filter(entry -> driver != Driver.TAG || !entry.getKey().equals(drivingTag))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> hasTag(entry.getKey(), entry.getValue()));
        }
        sql.append(NOT_EXPIRED);
        params.add(nowSeconds);
    }

    private void timeRange(String column) {
        if (filter.since() != null) {
            sql.append(" AND ").append(column).append(" >= ?");
            params.add(filter.since());
        }
        if (filter.until() != null) {
            sql.append(" AND ").append(column).append(" <= ?");
            params.add(filter.until());
        }
    }

    /**
     * A tag condition on the event of the current row: one lookup of the tags key (name, value, created_at,
     * event_id) per value, the event's created_at and id completing the key.
     */
    private void hasTag(char name, Set<String> values) {
        sql.append(" AND EXISTS (SELECT 1 FROM tags x WHERE x.created_at = e.created_at AND x.event_id = e.id"
                + " AND x.name = ? AND ");
        params.add(String.valueOf(name));
        if (values.size() <= MAX_INLINE_VALUES) {
            in("x.value", values.stream().sorted().map(StoredValues::tagValue).toList(), false);
        } else {
            JsonArray keys = new JsonArray();
            JsonArray texts = new JsonArray();
            for (String value : values) {
                (StoredValues.isKey(value) ? keys : texts).add(value);
            }
            sql.append("x.value IN (SELECT unhex(value) FROM json_each(?) UNION ALL SELECT value FROM json_each(?))");
            params.add(keys.encode());
            params.add(texts.encode());
        }
        sql.append(')');
    }

    /**
     * {@code column = ?}, {@code column IN (?, ...)} or, past {@link #MAX_INLINE_VALUES} values, one JSON array
     * parameter ({@code hexKeys}: the values are 32-byte keys, passed as hex and unhexed by SQLite).
     */
    private void in(String column, List<?> values, boolean hexKeys) {
        in(column, values, hexKeys, MAX_INLINE_VALUES);
    }

    private void in(String column, List<?> values, boolean hexKeys, int maxInline) {
        if (values.isEmpty()) {
            sql.append("0");
            return;
        }
        if (values.size() > maxInline) {
            JsonArray array = new JsonArray();
            values.forEach(value -> array.add(hexKeys ? org.nostrgpu.common.event.Hex.encode((byte[]) value) : value));
            sql.append(column).append(hexKeys ? " IN (SELECT unhex(value) FROM json_each(?))"
                    : " IN (SELECT value FROM json_each(?))");
            params.add(array.encode());
            return;
        }
        sql.append(column);
        if (values.size() == 1) {
            sql.append(" = ?");
            params.add(values.get(0));
            return;
        }
        sql.append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            params.add(values.get(i));
        }
        sql.append(')');
    }

    private List<Integer> sortedKinds() {
        return filter.kinds().stream().sorted().toList();
    }

    /** The 32-byte keys of the 64-lowercase-hex values, sorted; others can match nothing and are left out. */
    private static List<byte[]> keys(Collection<String> hexValues) {
        return hexValues.stream().sorted().map(StoredValues::key).filter(Objects::nonNull).toList();
    }

    /** Like {@link #keys}, unsorted: for ids, whose rows are put in order afterwards anyway. */
    private static List<byte[]> unsortedKeys(Collection<String> hexValues) {
        List<byte[]> keys = new ArrayList<>(hexValues.size());
        for (String value : hexValues) {
            byte[] key = StoredValues.key(value);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * The tag condition that drives, or null when the filter has none: the fewest values (the narrowest walk),
     * then one whose values are all 64-hex references (ids, pubkeys: usually rarer than words), then the letter.
     */
    private static Character drivingTag(Filter filter) {
        if (filter.tagValues() == null || filter.tagValues().isEmpty()) {
            return null;
        }
        return filter.tagValues().entrySet().stream()
                .min(Comparator.<Map.Entry<Character, Set<String>>>comparingInt(entry -> entry.getValue().size())
                        .thenComparing(entry -> entry.getValue().stream().allMatch(StoredValues::isKey) ? 0 : 1)
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey)
                .orElse(null);
    }
}
