package org.nostrgpu.common.bus;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A stats request (layout in {@link StatsProtocol}): where to send the replies and, optionally, which samples to
 * keep for a tail. {@link #decode} checks everything before a member acts on it.
 *
 * @param replyTo where replies go, under {@link StatsProtocol#REPLY_ADDRESS_PREFIX}; null when the request travels
 *                with a reply address of its own
 * @param round   the inspector's number for this request, echoed in the replies so late ones are told apart
 * @param tail    the samples asked for, or null for none
 */
public record StatsRequest(String replyTo, long round, Tail tail) {
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-f]{64}");

    /**
     * What to sample.
     *
     * @param events  accepted events, filtered by {@code kinds} and {@code authors} (empty: any)
     * @param verify  verification requests with their sizes and round-trip times
     */
    public record Tail(boolean events, Set<Integer> kinds, Set<String> authors, boolean verify) {
        public Tail {
            kinds = Set.copyOf(kinds);
            authors = Set.copyOf(authors);
        }

        /** Whether an accepted event of this kind and author belongs in the tail. */
        public boolean wants(int kind, String author) {
            return events && (kinds.isEmpty() || kinds.contains(kind))
                    && (authors.isEmpty() || authors.contains(author));
        }

        JsonObject toJson() {
            return new JsonObject().put("events", events).put("kinds", new JsonArray(kinds.stream().sorted().toList()))
                    .put("authors", new JsonArray(authors.stream().sorted().toList())).put("verify", verify);
        }
    }

    public StatsRequest {
        if (round < 0) {
            throw new IllegalArgumentException("round must not be negative");
        }
        if (replyTo != null && !replyTo.startsWith(StatsProtocol.REPLY_ADDRESS_PREFIX)) {
            throw new IllegalArgumentException("reply address must start with " + StatsProtocol.REPLY_ADDRESS_PREFIX);
        }
    }

    /** The message body. */
    public String encode() {
        JsonObject json = new JsonObject().put("protocol", StatsProtocol.PROTOCOL_NAME)
                .put("version", StatsProtocol.FORMAT_VERSION);
        json.put("round", round);
        if (replyTo != null) {
            json.put("replyTo", replyTo);
        }
        if (tail != null) {
            json.put("tail", tail.toJson());
        }
        return json.encode();
    }

    /**
     * @param body            the event-bus message body; anything but a JSON object in a String is refused
     * @param hasReplyAddress whether the message can be answered directly, making {@code replyTo} optional
     * @throws MalformedStatsMessageException naming what is wrong
     */
    public static StatsRequest decode(Object body, boolean hasReplyAddress) {
        JsonObject json = StatsJson.object(body, "stats request", StatsProtocol.MAX_REQUEST_CHARS);
        StatsJson.checkHeader(json, "stats request");
        Object replyTo = json.getValue("replyTo");
        if (replyTo == null && !hasReplyAddress) {
            throw new MalformedStatsMessageException("stats request has no \"replyTo\" address");
        }
        if (replyTo != null && !(replyTo instanceof String address
                && address.startsWith(StatsProtocol.REPLY_ADDRESS_PREFIX)
                && address.length() > StatsProtocol.REPLY_ADDRESS_PREFIX.length())) {
            throw new MalformedStatsMessageException("stats request \"replyTo\" must be an address under "
                    + StatsProtocol.REPLY_ADDRESS_PREFIX + ", got " + StatsJson.describe(replyTo));
        }
        Object round = json.getValue("round");
        if (round != null && !((round instanceof Integer || round instanceof Long) && ((Number) round).longValue() >= 0)) {
            throw new MalformedStatsMessageException("stats request \"round\" must be a whole number from 0, got "
                    + StatsJson.describe(round));
        }
        Object tail = json.getValue("tail");
        if (tail != null && !(tail instanceof JsonObject)) {
            throw new MalformedStatsMessageException("stats request \"tail\" must be an object, got "
                    + StatsJson.describe(tail));
        }
        return new StatsRequest((String) replyTo, round == null ? 0 : ((Number) round).longValue(), tail == null ? null : decodeTail((JsonObject) tail));
    }

    /**
     * The reply address a malformed request named, if any: a member answers the error there rather than dropping
     * it silently. Null when the body does not even name one under the reply prefix.
     */
    public static String replyAddressOf(Object body) {
        if (!(body instanceof String text) || text.length() > StatsProtocol.MAX_REQUEST_CHARS) {
            return null;
        }
        try {
            Object replyTo = new JsonObject(text).getValue("replyTo");
            return replyTo instanceof String address && address.startsWith(StatsProtocol.REPLY_ADDRESS_PREFIX)
                    && address.length() > StatsProtocol.REPLY_ADDRESS_PREFIX.length() ? address : null;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static Tail decodeTail(JsonObject tail) {
        boolean events = flag(tail, "events");
        boolean verify = flag(tail, "verify");
        Set<Integer> kinds = new LinkedHashSet<>();
        for (Object kind : list(tail, "kinds")) {
            if (!(kind instanceof Integer value) || value < 0 || value > 65_535) {
                throw new MalformedStatsMessageException("stats request tail kind must be an integer from 0 to 65535, "
                        + "got " + StatsJson.describe(kind));
            }
            kinds.add(value);
        }
        Set<String> authors = new LinkedHashSet<>();
        for (Object author : list(tail, "authors")) {
            if (!(author instanceof String key) || !HEX_KEY.matcher(key).matches()) {
                throw new MalformedStatsMessageException("stats request tail author must be 64 lowercase hex "
                        + "characters, got " + StatsJson.describe(author));
            }
            authors.add(key);
        }
        return new Tail(events, kinds, authors, verify);
    }

    private static boolean flag(JsonObject json, String name) {
        Object value = json.getValue(name);
        if (value != null && !(value instanceof Boolean)) {
            throw new MalformedStatsMessageException("stats request tail \"" + name + "\" must be true or false, got "
                    + StatsJson.describe(value));
        }
        return Boolean.TRUE.equals(value);
    }

    private static Iterable<Object> list(JsonObject json, String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new MalformedStatsMessageException("stats request tail \"" + name + "\" must be an array, got "
                    + StatsJson.describe(value));
        }
        if (array.size() > StatsProtocol.MAX_TAIL_FILTER_VALUES) {
            throw new MalformedStatsMessageException("stats request tail \"" + name + "\" has " + array.size()
                    + " values, at most " + StatsProtocol.MAX_TAIL_FILTER_VALUES);
        }
        @SuppressWarnings("unchecked")
        List<Object> values = array.getList();
        return values;
    }
}
