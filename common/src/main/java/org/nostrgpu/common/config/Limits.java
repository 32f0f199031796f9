package org.nostrgpu.common.config;

/**
 * Every limit the relay enforces, each answered with a protocol message when exceeded.
 *
 * @param maxMessageBytes            largest WebSocket frame/message accepted (NOTICE and close beyond)
 * @param maxSubscriptionsPerConnection open REQ subscriptions per connection (CLOSED beyond)
 * @param maxFiltersPerReq           filters in one REQ or COUNT (CLOSED beyond)
 * @param maxLimit                   upper bound applied to a filter's limit, and the default when absent
 * @param maxTags                    tags in one event (OK false beyond)
 * @param maxContentBytes            UTF-8 bytes of an event's content (OK false beyond)
 * @param maxFutureSeconds           how far created_at may be ahead of now (OK false beyond)
 * @param maxPastSeconds             how far created_at may be behind now; 0 means no lower bound
 * @param maxEventsPerSecondPerConnection EVENT messages a connection may send per second (OK false "rate-limited:" beyond); 0 means unlimited; the burst is {@link AbuseLimits#eventBurstPerConnection()}
 */
public record Limits(int maxMessageBytes, int maxSubscriptionsPerConnection, int maxFiltersPerReq,
                     int maxLimit, int maxTags, int maxContentBytes,
                     long maxFutureSeconds, long maxPastSeconds, int maxEventsPerSecondPerConnection) {

    public static Limits defaults() {
        return new Limits(131_072, 20, 10, 500, 2_000, 65_536, 900, 0, 100);
    }
}
