package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoolRangeTest {

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    private static List<String> walk(PoolRange range, Optional<InetAddress> last) {
        List<String> out = new ArrayList<>();
        range.walkAfter(last).forEach(a -> out.add(IpAddresses.format(a)));
        return out;
    }

    @Test
    void defaultsSkipNetworkGatewayAndBroadcast() {
        PoolRange r = PoolRange.parse("10.240.0.0/29");
        assertEquals(ip("10.240.0.2"), r.rangeStart());
        assertEquals(ip("10.240.0.7"), r.rangeEnd());
        assertEquals(List.of("10.240.0.2", "10.240.0.3", "10.240.0.4", "10.240.0.5", "10.240.0.6"),
                walk(r, Optional.empty()));
    }

    @Test
    void explicitBoundsStillNeverYieldReservedAddresses() {
        IpPrefix p = IpPrefix.parse("10.240.0.0/29");
        PoolRange r = PoolRange.of(p, ip("10.240.0.0"), ip("10.240.0.7"));
        assertEquals(List.of("10.240.0.2", "10.240.0.3", "10.240.0.4", "10.240.0.5", "10.240.0.6"),
                walk(r, Optional.empty()));
        for (String s : List.of("10.240.0.0", "10.240.0.1", "10.240.0.7", "10.240.0.8")) {
            assertFalse(r.isAllocatable(ip(s)), s);
        }
    }

    @Test
    void ipv6LastAddressIsUsable() {
        PoolRange r = PoolRange.parse("fd00::/126");
        assertEquals(List.of("fd00::2", "fd00::3"), walk(r, Optional.empty()));
        assertFalse(r.isAllocatable(ip("fd00::")));
        assertFalse(r.isAllocatable(ip("fd00::1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/31", "10.0.0.1/32", "fd00::/127", "fd00::1/128"})
    void tinyPrefixesHaveNoRoom(String cidr) {
        assertEquals(List.of(), walk(PoolRange.parse(cidr), Optional.empty()));
    }

    @Test
    void slash30HasOneAddress() {
        assertEquals(List.of("10.0.0.2"), walk(PoolRange.parse("10.0.0.0/30"), Optional.empty()));
    }

    @Test
    void walkResumesAfterLastAndWraps() {
        PoolRange r = PoolRange.parse("10.240.0.0/29");
        assertEquals(List.of("10.240.0.5", "10.240.0.6", "10.240.0.2", "10.240.0.3", "10.240.0.4"),
                walk(r, Optional.of(ip("10.240.0.4"))));
        // Last at the end wraps to the start; an address outside the range restarts from the start.
        assertEquals("10.240.0.2", walk(r, Optional.of(ip("10.240.0.6"))).getFirst());
        assertEquals("10.240.0.2", walk(r, Optional.of(ip("10.9.9.9"))).getFirst());
        assertEquals("10.240.0.2", walk(r, Optional.of(ip("fd00::5"))).getFirst());
    }

    @Test
    void walkOfHugeRangeIsLazy() {
        PoolRange r = PoolRange.parse("fd00:10:240::/64");
        var it = r.walkAfter(Optional.of(r.rangeEnd())).iterator();
        assertEquals(ip("fd00:10:240::2"), it.next());
        IntStream.range(0, 1000).forEach(i -> it.next());
        assertTrue(it.hasNext());
    }

    @Test
    void rejectsBoundsOutsideOrReversed() {
        IpPrefix p = IpPrefix.parse("10.240.0.0/24");
        assertThrows(IllegalArgumentException.class, () -> PoolRange.of(p, ip("10.241.0.2"), null));
        assertThrows(IllegalArgumentException.class, () -> PoolRange.of(p, null, ip("fd00::1")));
        assertThrows(IllegalArgumentException.class, () -> PoolRange.of(p, ip("10.240.0.9"), ip("10.240.0.8")));
    }

    @Test
    void idIsASafeFileNameFromTheSubnet() {
        assertEquals("10.240.0.0-24", PoolRange.parse("10.240.0.0/24").id());
        assertEquals("fd00_10_240__-64", PoolRange.parse("fd00:10:240::/64").id());
        assertEquals(PoolRange.parse("10.240.0.0/24").id(),
                PoolRange.of(IpPrefix.parse("10.240.0.0/24"), ip("10.240.0.100"), null).id());
    }
}
