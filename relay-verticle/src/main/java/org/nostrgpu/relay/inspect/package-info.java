/**
 * Inspection of a relay node: its part of the stats protocol ({@link org.nostrgpu.common.bus.StatsProtocol}), read
 * from the node's meters. The responder, the bus tap and the {@code /status} page are shared with the worker and
 * live in {@link org.nostrgpu.common.inspect}.
 */
package org.nostrgpu.relay.inspect;
