package org.nostrgpu.common.cluster;

import com.hazelcast.logging.Logger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each round looks every listed name up again and offers every address it has, with the listed port. */
class MemberListDiscoveryTest {

    private final Map<String, InetAddress[]> dns = new HashMap<>();

    @Test
    void aNameStandsForEveryAddressItResolvesToAndAnUnresolvedNameIsTriedAgainNextRound() throws Exception {
        dns.put("worker", addresses("172.18.0.2"));
        dns.put("relay", addresses("172.18.0.4", "172.18.0.3", "172.18.0.5"));
        MemberListDiscovery discovery = discovery("worker:5701, relay:5701,gpu:5801");

        assertEquals(List.of("172.18.0.2:5701", "172.18.0.3:5701", "172.18.0.4:5701", "172.18.0.5:5701"),
                found(discovery), "gpu does not resolve yet (its container is not up) and is skipped");

        dns.put("gpu", addresses("172.18.0.9"));
        dns.put("worker", addresses("172.18.0.7"));
        assertEquals(List.of("172.18.0.7:5701", "172.18.0.3:5701", "172.18.0.4:5701", "172.18.0.5:5701",
                "172.18.0.9:5801"), found(discovery), "a restarted member is found at its new address");
    }

    @Test
    void addressesAndBracketedIpv6AreTakenAsTheyAre() throws Exception {
        MemberListDiscovery discovery = new MemberListDiscovery(Logger.getLogger(getClass()),
                Map.of("members", "127.0.0.1:5701,[::1]:5702"), MemberListDiscovery::lookUp);
        assertEquals(List.of("127.0.0.1:5701", "[0:0:0:0:0:0:0:1]:5702"), found(discovery));
    }

    @Test
    void aNameThatNeverResolvesGivesNoMemberRatherThanAnError() {
        MemberListDiscovery discovery = new MemberListDiscovery(Logger.getLogger(getClass()),
                Map.of("members", "no-such-member.invalid:5701"), MemberListDiscovery::lookUp);
        assertEquals(List.of(), found(discovery));
    }

    private MemberListDiscovery discovery(String members) {
        Function<String, InetAddress[]> resolver = name -> dns.getOrDefault(name, new InetAddress[0]);
        return new MemberListDiscovery(Logger.getLogger(getClass()), Map.of("members", members), resolver);
    }

    private static List<String> found(MemberListDiscovery discovery) {
        List<String> found = new ArrayList<>();
        for (DiscoveryNode node : discovery.discoverNodes()) {
            String host = node.getPrivateAddress().getHost();
            found.add((host.contains(":") ? "[" + host + "]" : host) + ":" + node.getPrivateAddress().getPort());
        }
        return found;
    }

    private static InetAddress[] addresses(String... ips) throws UnknownHostException {
        InetAddress[] result = new InetAddress[ips.length];
        for (int i = 0; i < ips.length; i++) {
            result[i] = InetAddress.getByName(ips[i]);
        }
        return result;
    }
}
