package org.nostrgpu.relay.connection;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.InvalidEventException;
import org.nostrgpu.common.event.StrictJson;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.filter.FilterParser;
import org.nostrgpu.common.filter.InvalidFilterException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one client frame in a single streaming pass: the message array, its type, and the event or filters
 * inside it, with no intermediate tree. Anything refused becomes a {@link RejectedMessageException} carrying
 * the protocol answer, so the connection can reply and go on.
 */
public final class ClientMessageParser {
    /** NIP-01: a subscription id is a non-empty string of at most 64 characters. */
    public static final int MAX_SUBSCRIPTION_ID_LENGTH = 64;
    private static final int MAX_ECHOED_TYPE_LENGTH = 32;

    private final int maxFilters;
    private final int maxValuesPerFilter;

    /**
     * @param maxFilters         filters in one REQ or COUNT
     * @param maxValuesPerFilter ids, authors, or values of one tag, in one filter
     */
    public ClientMessageParser(int maxFilters, int maxValuesPerFilter) {
        this.maxFilters = maxFilters;
        this.maxValuesPerFilter = maxValuesPerFilter;
    }

    public ClientMessage parse(String text) throws RejectedMessageException {
        try (JsonParser p = StrictJson.FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw notice("message must be a JSON array");
            }
            if (StrictJson.next(p) != JsonToken.VALUE_STRING) {
                throw notice("the first element of a message must be its type as a string");
            }
            String type = p.getText();
            ClientMessage message = switch (type) {
                case "EVENT" -> new ClientMessage.Publish(event(p, "EVENT"));
                case "AUTH" -> new ClientMessage.Auth(event(p, "AUTH"));
                case "REQ" -> {
                    String id = subscriptionId(p, true);
                    yield new ClientMessage.Req(id, filters(p, id, "REQ"));
                }
                case "COUNT" -> {
                    String id = subscriptionId(p, true);
                    yield new ClientMessage.Count(id, filters(p, id, "COUNT"));
                }
                case "CLOSE" -> close(p);
                case "NEG-OPEN" -> negOpen(p);
                case "NEG-MSG" -> {
                    String id = subscriptionId(p, false);
                    yield new ClientMessage.NegMsg(id, negentropyText(p, id, "NEG-MSG"));
                }
                case "NEG-CLOSE" -> {
                    String id = subscriptionId(p, false);
                    endOfNegentropy(p, id, "NEG-CLOSE");
                    yield new ClientMessage.NegClose(id);
                }
                default -> throw notice("unknown message type " + quoteShort(type));
            };
            if (p.nextToken() != null) {
                throw notice("unexpected data after the message");
            }
            return message;
        } catch (JsonProcessingException e) {
            if (StrictJson.isTooDeep(e)) {
                throw notice("message is nested too deeply (arrays and objects at most "
                        + StrictJson.MAX_NESTING_DEPTH + " levels deep)");
            }
            throw notice("message is not valid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException("reading a String cannot fail", e);
        }
    }

    /** The one event of an EVENT or AUTH message. */
    private static Event event(JsonParser p, String type) throws IOException, RejectedMessageException {
        StrictJson.next(p);
        Event event;
        try {
            event = EventParser.parse(p);
        } catch (InvalidEventException e) {
            throw e.eventId() != null ? refuseEvent(e.eventId(), e.getMessage()) : notice(e.getMessage());
        }
        if (StrictJson.next(p) != JsonToken.END_ARRAY) {
            p.skipChildren();
            throw refuseEvent(event.id(), "an " + type + " message holds exactly one event");
        }
        return event;
    }

    private static ClientMessage close(JsonParser p) throws IOException, RejectedMessageException {
        String id = subscriptionId(p, false);
        if (StrictJson.next(p) != JsonToken.END_ARRAY) {
            p.skipChildren();
            throw notice("CLOSE takes exactly one subscription id");
        }
        return new ClientMessage.Close(id);
    }

    /** NIP-77: {@code ["NEG-OPEN", id, filter, hexMessage]}; anything wrong after a usable id is a NEG-ERR. */
    private ClientMessage negOpen(JsonParser p) throws IOException, RejectedMessageException {
        String id = subscriptionId(p, false);
        if (StrictJson.next(p) != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw refuseNegentropy(id, "NEG-OPEN needs a filter object after the subscription id");
        }
        Filter filter;
        try {
            filter = FilterParser.parse(p);
        } catch (InvalidFilterException e) {
            throw refuseNegentropy(id, e.getMessage());
        }
        String tooMany = tooManyValues(filter);
        if (tooMany != null) {
            throw refuseNegentropy(id, tooMany);
        }
        String message = negentropyText(p, id, "NEG-OPEN");
        return new ClientMessage.NegOpen(id, filter, message);
    }

    /** The message string, which must end the array. */
    private static String negentropyText(JsonParser p, String id, String type)
            throws IOException, RejectedMessageException {
        if (StrictJson.next(p) != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw refuseNegentropy(id, type + " needs the negentropy message as a hex string");
        }
        String text = p.getText();
        endOfNegentropy(p, id, type);
        return text;
    }

    private static void endOfNegentropy(JsonParser p, String id, String type)
            throws IOException, RejectedMessageException {
        if (StrictJson.next(p) != JsonToken.END_ARRAY) {
            p.skipChildren();
            throw refuseNegentropy(id, "unexpected data at the end of " + type);
        }
    }

    /**
     * Reads and checks the subscription id. A REQ or COUNT with a bad id is answered with CLOSED naming that
     * id (the client can match it); a CLOSE with a bad id, or an id that is not a string, with a NOTICE.
     */
    private static String subscriptionId(JsonParser p, boolean answerWithClosed)
            throws IOException, RejectedMessageException {
        if (StrictJson.next(p) != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw notice("subscription id must be a string");
        }
        String id = p.getText();
        String problem = null;
        if (id.isEmpty()) {
            problem = "subscription id must not be empty";
        } else if (id.length() > MAX_SUBSCRIPTION_ID_LENGTH
                && id.codePointCount(0, id.length()) > MAX_SUBSCRIPTION_ID_LENGTH) {
            problem = "subscription id must be at most " + MAX_SUBSCRIPTION_ID_LENGTH + " characters";
        }
        if (problem != null) {
            throw answerWithClosed ? refuse(id, problem) : notice(problem);
        }
        return id;
    }

    private List<Filter> filters(JsonParser p, String subscriptionId, String type)
            throws IOException, RejectedMessageException {
        List<Filter> filters = new ArrayList<>(2);
        while (StrictJson.next(p) != JsonToken.END_ARRAY) {
            if (filters.size() == maxFilters) {
                throw refuse(subscriptionId, "too many filters (at most " + maxFilters + " per " + type + ")");
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw refuse(subscriptionId, "a filter must be a JSON object");
            }
            Filter filter;
            try {
                filter = FilterParser.parse(p);
            } catch (InvalidFilterException e) {
                throw refuse(subscriptionId, e.getMessage());
            }
            String tooMany = tooManyValues(filter);
            if (tooMany != null) {
                throw refuse(subscriptionId, tooMany);
            }
            filters.add(filter);
        }
        if (filters.isEmpty()) {
            throw refuse(subscriptionId, type + " needs at least one filter");
        }
        return filters;
    }

    /** What makes the filter ask for more values than one filter may, or null: the bound on one query's work. */
    private String tooManyValues(Filter filter) {
        String field = null;
        int count = 0;
        if (filter.ids() != null && filter.ids().size() > maxValuesPerFilter) {
            field = "ids";
            count = filter.ids().size();
        } else if (filter.authors() != null && filter.authors().size() > maxValuesPerFilter) {
            field = "authors";
            count = filter.authors().size();
        } else if (filter.tagValues() != null) {
            for (var tag : filter.tagValues().entrySet()) {
                if (tag.getValue().size() > maxValuesPerFilter) {
                    field = "#" + tag.getKey();
                    count = tag.getValue().size();
                    break;
                }
            }
        }
        return field == null ? null : "too many values in one filter (" + field + ": " + count + ", at most "
                + maxValuesPerFilter + ")";
    }

    /** Everything this parser refuses is {@code invalid:}; these take what was wrong and add the prefix. */
    private static RejectedMessageException refuse(String subscriptionId, String problem) {
        return new RejectedMessageException(
                new Rejection.RefusedSubscription(subscriptionId, AnswerPrefix.INVALID.with(problem)));
    }

    private static RejectedMessageException refuseNegentropy(String subscriptionId, String problem) {
        return new RejectedMessageException(
                new Rejection.RefusedNegentropy(subscriptionId, AnswerPrefix.INVALID.with(problem)));
    }

    private static RejectedMessageException refuseEvent(String eventId, String problem) {
        return new RejectedMessageException(new Rejection.RefusedEvent(eventId, AnswerPrefix.INVALID.with(problem)));
    }

    private static RejectedMessageException notice(String problem) {
        return new RejectedMessageException(new Rejection.Notice(AnswerPrefix.INVALID.with(problem)));
    }

    private static String quoteShort(String text) {
        String shown = text.length() > MAX_ECHOED_TYPE_LENGTH ? text.substring(0, MAX_ECHOED_TYPE_LENGTH) + "…" : text;
        return "\"" + shown + "\"";
    }
}
