package org.nostrgpu.common.config;

/**
 * The limits that keep one client, or one address, from taking the relay from everybody else: rates, connection
 * counts and timeouts, how much unread output a connection may have, how much ingest and query work it may have
 * running. Read from the {@code limits} section of the relay's YAML file beside {@link Limits}; every key, its
 * default and its answer are listed in {@code deploy/relay.example.yaml}. The per-connection EVENT rate is
 * {@link Limits#maxEventsPerSecondPerConnection()}; its burst is here.
 *
 * @param eventBurstPerConnection       EVENT messages a connection may send at once before its rate applies
 * @param eventsPerIp                   EVENT messages of all connections from one address ({@code OK false "rate-limited: ..."})
 * @param reqsPerConnection             REQ, COUNT and NEG-OPEN messages of one connection ({@code CLOSED "rate-limited: ..."})
 * @param reqsPerIp                     REQ, COUNT and NEG-OPEN messages of all connections from one address
 * @param maxConnectionsPerIp           open TCP connections from one address; more are closed at once
 * @param idleTimeoutSeconds            a connection without open subscriptions that sends no message for this long is
 *                                      closed; 0 never
 * @param pingIntervalSeconds           WebSocket ping interval; a connection that answers two pings in a row with
 *                                      nothing (no pong, no message) is closed; 0 sends no pings
 * @param upgradeTimeoutSeconds         time from TCP accept to a complete HTTP request (WebSocket upgrade or plain
 *                                      GET) before the connection is closed
 * @param maxOutboundBytesPerConnection unsent output a connection may have queued (stored answers, live events,
 *                                      OK, COUNT, NOTICE); past it the client gets a NOTICE and is disconnected
 * @param maxPendingEventsPerConnection EVENTs of one connection in ingest (parsed, not answered yet); at the bound
 *                                      the relay stops reading that connection until answers go out, so one
 *                                      connection's flood waits in its own socket instead of ahead of others
 * @param maxValuesPerFilter            ids, authors, or values of one tag, in one filter ({@code CLOSED "invalid: ..."})
 * @param queryBudgetMillis             longest one stored query (REQ or COUNT) may run; past it the statement is
 *                                      interrupted and the subscription closed ({@code CLOSED "error: ..."}); 0 no bound
 * @param maxConcurrentQueriesPerConnection stored queries of one connection running at once; further REQs and
 *                                      COUNTs (and NEG-OPENs' item loading) wait for them, so one connection never
 *                                      holds more read connections
 * @param negentropyBudgetMillis        longest loading the stored items of one NEG-OPEN may run (it reads every
 *                                      matching event's created_at and id, up to the session's item limit, so it
 *                                      legitimately takes far longer than a REQ); past it the session ends with
 *                                      {@code NEG-ERR "error: ..."}; 0 no bound
 */
public record AbuseLimits(int eventBurstPerConnection, RateLimit eventsPerIp, RateLimit reqsPerConnection,
                          RateLimit reqsPerIp, int maxConnectionsPerIp, long idleTimeoutSeconds,
                          long pingIntervalSeconds, long upgradeTimeoutSeconds, long maxOutboundBytesPerConnection,
                          int maxPendingEventsPerConnection, int maxValuesPerFilter, long queryBudgetMillis,
                          int maxConcurrentQueriesPerConnection, long negentropyBudgetMillis) {

    /** Loading the items of one NIP-77 session: many more rows than a REQ returns, so a budget of its own. */
    public static final long DEFAULT_NEGENTROPY_BUDGET_MILLIS = 10_000;

    public static AbuseLimits defaults() {
        return new AbuseLimits(500, new RateLimit(500, 2_500), new RateLimit(100, 500), new RateLimit(500, 2_500),
                256, 300, 30, 10, 4L << 20, 64, 1_000, 1_000, 1,
                DEFAULT_NEGENTROPY_BUDGET_MILLIS);
    }

    /** The per-connection EVENT bucket: the rate from {@link Limits}, the burst from here. */
    public RateLimit eventsPerConnection(Limits limits) {
        int rate = limits.maxEventsPerSecondPerConnection();
        return rate == 0 ? RateLimit.UNLIMITED : new RateLimit(rate, Math.max(eventBurstPerConnection, 1));
    }

    public AbuseLimits withEventsPerIp(RateLimit limit) {
        return new AbuseLimits(eventBurstPerConnection, limit, reqsPerConnection, reqsPerIp, maxConnectionsPerIp,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, maxOutboundBytesPerConnection,
                maxPendingEventsPerConnection, maxValuesPerFilter, queryBudgetMillis,
                maxConcurrentQueriesPerConnection, negentropyBudgetMillis);
    }

    public AbuseLimits withReqs(RateLimit perConnection, RateLimit perIp) {
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, perConnection, perIp, maxConnectionsPerIp,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, maxOutboundBytesPerConnection,
                maxPendingEventsPerConnection, maxValuesPerFilter, queryBudgetMillis,
                maxConcurrentQueriesPerConnection, negentropyBudgetMillis);
    }

    public AbuseLimits withMaxConnectionsPerIp(int max) {
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, reqsPerConnection, reqsPerIp, max,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, maxOutboundBytesPerConnection,
                maxPendingEventsPerConnection, maxValuesPerFilter, queryBudgetMillis,
                maxConcurrentQueriesPerConnection, negentropyBudgetMillis);
    }

    public AbuseLimits withTimeouts(long idleSeconds, long pingSeconds, long upgradeSeconds) {
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, reqsPerConnection, reqsPerIp, maxConnectionsPerIp,
                idleSeconds, pingSeconds, upgradeSeconds, maxOutboundBytesPerConnection, maxPendingEventsPerConnection,
                maxValuesPerFilter, queryBudgetMillis, maxConcurrentQueriesPerConnection, negentropyBudgetMillis);
    }

    public AbuseLimits withMaxOutboundBytesPerConnection(long bytes) {
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, reqsPerConnection, reqsPerIp, maxConnectionsPerIp,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, bytes, maxPendingEventsPerConnection,
                maxValuesPerFilter, queryBudgetMillis, maxConcurrentQueriesPerConnection, negentropyBudgetMillis);
    }

    public AbuseLimits withMaxPendingEventsPerConnection(int events) {
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, reqsPerConnection, reqsPerIp, maxConnectionsPerIp,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, maxOutboundBytesPerConnection, events,
                maxValuesPerFilter, queryBudgetMillis, maxConcurrentQueriesPerConnection, negentropyBudgetMillis);
    }

    public AbuseLimits withQueryBounds(int valuesPerFilter, long budgetMillis, int concurrentPerConnection) {
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, reqsPerConnection, reqsPerIp, maxConnectionsPerIp,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, maxOutboundBytesPerConnection,
                maxPendingEventsPerConnection, valuesPerFilter, budgetMillis, concurrentPerConnection,
                negentropyBudgetMillis);
    }

    public AbuseLimits withNegentropyBudgetMillis(long millis) {
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, reqsPerConnection, reqsPerIp, maxConnectionsPerIp,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, maxOutboundBytesPerConnection,
                maxPendingEventsPerConnection, maxValuesPerFilter, queryBudgetMillis,
                maxConcurrentQueriesPerConnection, millis);
    }

    /** No rate or connection limits, for load tests from one address; timeouts and bounds stay. */
    public AbuseLimits withoutRateLimits() {
        return withEventsPerIp(RateLimit.UNLIMITED).withReqs(RateLimit.UNLIMITED, RateLimit.UNLIMITED)
                .withMaxConnectionsPerIp(Integer.MAX_VALUE);
    }
}
