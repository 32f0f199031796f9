package org.nostrgpu.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stats protocol's messages: what decodes, and the message for each thing that does not. */
class StatsMessagesTest {
    private static final String REPLY_TO = StatsProtocol.REPLY_ADDRESS_PREFIX + "test";
    private static final String AUTHOR = "ab".repeat(32);

    @Test
    void aRequestRoundTripsWithItsTail() {
        StatsRequest.Tail tail = new StatsRequest.Tail(true, Set.of(1, 7), Set.of(AUTHOR), true);
        StatsRequest decoded = StatsRequest.decode(new StatsRequest(REPLY_TO, 42, tail).encode(), false);
        assertEquals(new StatsRequest(REPLY_TO, 42, tail), decoded);
        assertTrue(decoded.tail().wants(7, AUTHOR));
        assertTrue(!decoded.tail().wants(2, AUTHOR) && !decoded.tail().wants(1, "cd".repeat(32)));
        assertNull(StatsRequest.decode(request().encode(), false).tail());
    }

    @Test
    void malformedRequestsAreRefusedWithWhatIsWrong() {
        assertRefused(Buffer.buffer("{}"), false, "must be JSON text, got io.vertx");
        assertRefused(null, false, "must be JSON text, got null");
        assertRefused("not json", false, "is not a JSON object");
        assertRefused("[1,2]", false, "is not a JSON object");
        assertRefused("x".repeat(StatsProtocol.MAX_REQUEST_CHARS + 1), false, "is longer than");
        assertRefused(without("protocol"), "\"protocol\" must be \"nostr-gpu-stats\", got nothing");
        assertRefused(request().put("version", 2), "format version 2 is not supported; this side speaks version 1");
        assertRefused(request().put("version", "1"), "format version \"1\" is not supported");
        assertRefused(without("replyTo"), "has no \"replyTo\" address");
        assertRefused(request().put("replyTo", "nostr-gpu.verify"), "\"replyTo\" must be an address under");
        assertRefused(request().put("replyTo", StatsProtocol.REPLY_ADDRESS_PREFIX), "\"replyTo\" must be an address");
        assertRefused(request().put("round", -1), "\"round\" must be a whole number from 0, got -1");
        assertRefused(request().put("tail", "all"), "\"tail\" must be an object");
        assertRefused(request().put("tail", new JsonObject().put("events", "yes")), "\"events\" must be true or false");
        assertRefused(request().put("tail", new JsonObject().put("kinds", new JsonArray().add(70_000))),
                "kind must be an integer from 0 to 65535, got 70000");
        assertRefused(request().put("tail", new JsonObject().put("kinds", 1)), "\"kinds\" must be an array");
        assertRefused(request().put("tail", new JsonObject().put("authors", new JsonArray().add("AB".repeat(32)))),
                "author must be 64 lowercase hex characters");
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i <= StatsProtocol.MAX_TAIL_FILTER_VALUES; i++) {
            tooMany.add(i);
        }
        assertRefused(request().put("tail", new JsonObject().put("kinds", tooMany)), "has 65 values, at most 64");
    }

    @Test
    void aRequestSentWithItsOwnReplyAddressNeedsNoReplyTo() {
        JsonObject withoutReplyTo = request();
        withoutReplyTo.remove("replyTo");
        assertNull(StatsRequest.decode(withoutReplyTo.encode(), true).replyTo());
    }

    @Test
    void theReplyAddressOfAMalformedRequestIsFoundOnlyUnderThePrefix() {
        assertEquals(REPLY_TO, StatsRequest.replyAddressOf(request().put("version", 9).encode()));
        assertNull(StatsRequest.replyAddressOf(request().put("replyTo", "nostr-gpu.verify").encode()));
        assertNull(StatsRequest.replyAddressOf("not json"));
        assertNull(StatsRequest.replyAddressOf(Buffer.buffer("x")));
    }

    @Test
    void aReplyRoundTrips() {
        NodeStats stats = stats();
        assertEquals(stats, NodeStats.decode(stats.encode()));
        JsonObject json = new JsonObject(stats.encode());
        assertEquals(12, json.getJsonObject("counters").getValue("events.accepted"), "whole numbers as integers");
        assertEquals(3, json.getJsonObject("histograms").getJsonObject("batch.size").getJsonObject("buckets")
                .getValue("16"));
    }

    @Test
    void malformedRepliesAreRefusedWithWhatIsWrong() {
        assertReplyRefused(reply().put("version", 0), "format version 0 is not supported");
        assertReplyRefused(reply().put("role", "inspector"), "\"role\" must be one of");
        assertReplyRefused(reply().put("member", ""), "\"member\" must be a non-empty string");
        assertReplyRefused(reply().put("pid", "12"), "\"pid\" must be an integer");
        assertReplyRefused(reply().put("counters", new JsonObject().put("x", "many")),
                "\"counters.x\" must be a number, got \"many\"");
        assertReplyRefused(reply().put("gauges", List.of()), "\"gauges\" must be an object");
        JsonObject histograms = reply().getJsonObject("histograms");
        histograms.getJsonObject("batch.size").getJsonObject("buckets").put("many", 1);
        assertReplyRefused(reply().put("histograms", histograms), "bucket bound \"many\" is not a number");
        assertReplyRefused(reply().put("tail", new JsonObject().put("events", new JsonArray().add(1))
                .put("verify", new JsonArray())), "holds 1, not an object");
        assertReplyRefused(new JsonObject(NodeStats.errorReply("stats request has no \"replyTo\" address")),
                "the member could not read the request: \"stats request has no");
    }

    private static JsonObject request() {
        return new JsonObject(new StatsRequest(REPLY_TO, 1, null).encode());
    }

    private static JsonObject without(String field) {
        JsonObject json = request();
        json.remove(field);
        return json;
    }

    private static NodeStats stats() {
        TreeMap<Double, Long> buckets = new TreeMap<>(Map.of(1.0, 1L, 16.0, 3L, 64.0, 3L));
        return new NodeStats("node-1", 3, StatsProtocol.WORKER_ROLE, "host", 12, 1_000, 2_000,
                Map.of("backend", "cpu(1 threads)"), Map.of("events.accepted", 12.0, "ratio", 0.5),
                Map.of("queue.depth", 0.0), Map.of("batch.size", new NodeStats.Histogram(3, 30, 16, buckets)),
                List.of(new JsonObject().put("id", "x")), List.of());
    }

    private static JsonObject reply() {
        return new JsonObject(stats().encode());
    }

    private static void assertRefused(JsonObject request, String expected) {
        assertRefused(request.encode(), false, expected);
    }

    private static void assertRefused(Object body, boolean hasReplyAddress, String expected) {
        MalformedStatsMessageException refused = assertThrows(MalformedStatsMessageException.class,
                () -> StatsRequest.decode(body, hasReplyAddress));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage() + " should say: " + expected);
    }

    private static void assertReplyRefused(JsonObject reply, String expected) {
        MalformedStatsMessageException refused = assertThrows(MalformedStatsMessageException.class,
                () -> NodeStats.decode(reply.encode()));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage() + " should say: " + expected);
    }
}
