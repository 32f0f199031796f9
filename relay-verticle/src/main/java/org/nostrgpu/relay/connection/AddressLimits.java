package org.nostrgpu.relay.connection;

import org.nostrgpu.common.config.AbuseLimits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all connections from one IP address share, on every event loop of the node: how many are open (capped by
 * {@link AbuseLimits#maxConnectionsPerIp()}) and the address's EVENT and REQ buckets. An address's entry stays while
 * it has connections, and afterwards until its buckets are full again ({@link #forgetIdle}), so closing and
 * reopening connections does not refill them.
 */
public final class AddressLimits {
    private final AbuseLimits limits;
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();

    public AddressLimits(AbuseLimits limits) {
        this.limits = limits;
    }

    /** Counts a new connection from {@code ip}; null when the address already has as many as it may. */
    Address open(String ip) {
        Address address = addresses.computeIfAbsent(ip, key -> new Address(System.nanoTime()));
        if (address.connections.incrementAndGet() > limits.maxConnectionsPerIp()) {
            address.connections.decrementAndGet();
            return null;
        }
        return address;
    }

    void close(Address address) {
        address.connections.decrementAndGet();
    }

    /** The address's state while it has an open connection (the WebSocket of a counted TCP connection). */
    Address of(String ip) {
        return addresses.get(ip);
    }

    /** Removes addresses without connections whose buckets have refilled; call now and then. */
    public void forgetIdle() {
        long now = System.nanoTime();
        addresses.values().removeIf(address -> address.connections.get() == 0
                && address.events.isFull(now) && address.reqs.isFull(now));
    }

    /** Addresses remembered now (for tests). */
    int size() {
        return addresses.size();
    }

    /** One address: its open connections and its buckets. */
    final class Address {
        final AtomicInteger connections = new AtomicInteger();
        final TokenBucket events;
        final TokenBucket reqs;

        private Address(long nowNanos) {
            events = new TokenBucket(limits.eventsPerIp(), nowNanos);
            reqs = new TokenBucket(limits.reqsPerIp(), nowNanos);
        }
    }
}
