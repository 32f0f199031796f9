package org.nostrgpu.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The REQ shapes of the query benchmark, each asking for {@code limit} events (about that many come back on the
 * benchmark corpus). {@link #filters} gives the filter objects of one REQ, comma-separated.
 */
enum QueryShape {
    AUTHORS("authors") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"authors\":[" + quoted(pick(s.authors(), r)) + "],\"limit\":" + limit + "}";
        }
    },
    KINDS("kinds") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"kinds\":[" + pick(s.kinds(), r) + "],\"limit\":" + limit + "}";
        }
    },
    TAG_T("#t") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"#t\":[" + quoted(pick(s.tTags(), r)) + "],\"limit\":" + limit + "}";
        }
    },
    TAG_E("#e") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"#e\":[" + quoted(pick(s.eTags(), r)) + "],\"limit\":" + limit + "}";
        }
    },
    TAG_P("#p") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"#p\":[" + quoted(pick(s.pTags(), r)) + "],\"limit\":" + limit + "}";
        }
    },
    IDS("ids") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            List<String> ids = new ArrayList<>(s.ids());
            Collections.shuffle(ids, r);
            List<String> quoted = ids.subList(0, Math.min(limit, ids.size())).stream().map(QueryShape::quoted).toList();
            return "{\"ids\":[" + String.join(",", quoted) + "]}";
        }
    },
    WINDOW("since/until") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            long[] window = pick(s.windows(), r);
            return "{\"since\":" + window[0] + ",\"until\":" + window[1] + ",\"limit\":" + limit + "}";
        }
    },
    AUTHOR_KIND("authors+kinds") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"authors\":[" + quoted(pick(s.authors(), r)) + "],\"kinds\":[" + pick(s.kinds(), r)
                    + "],\"limit\":" + limit + "}";
        }
    },
    AUTHOR_UNTIL("authors+until") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"authors\":[" + quoted(pick(s.authors(), r)) + "],\"until\":" + pick(s.windows(), r)[1]
                    + ",\"limit\":" + limit + "}";
        }
    },
    MULTI("2 filters") {
        @Override
        String filters(QuerySample s, Random r, int limit) {
            return "{\"authors\":[" + quoted(pick(s.authors(), r)) + "],\"limit\":" + limit / 2 + "},"
                    + "{\"#t\":[" + quoted(pick(s.tTags(), r)) + "],\"limit\":" + (limit - limit / 2) + "}";
        }
    };

    private final String label;

    QueryShape(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    abstract String filters(QuerySample sample, Random random, int limit);

    /** By label or enum name, case-insensitive ("authors", "#t", "tag_t", ...). */
    static QueryShape parse(String name) {
        for (QueryShape shape : values()) {
            if (shape.label.equalsIgnoreCase(name) || shape.name().equalsIgnoreCase(name)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown query shape " + name + "; known: " + List.of(values()));
    }

    private static <T> T pick(List<T> values, Random random) {
        if (values.isEmpty()) {
            throw new IllegalStateException("the sample has no values for this shape");
        }
        return values.get(random.nextInt(values.size()));
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }
}
