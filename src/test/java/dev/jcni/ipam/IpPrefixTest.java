package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    private static java.net.InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    @Test
    void parsesIpv4() {
        IpPrefix p = IpPrefix.parse("10.240.0.0/24");
        assertEquals(ip("10.240.0.0"), p.network());
        assertEquals(24, p.prefixLength());
        assertFalse(p.isIpv6());
        assertEquals(BigInteger.valueOf(256), p.size());
        assertEquals(ip("10.240.0.1"), p.gateway());
        assertEquals(Optional.of(ip("10.240.0.255")), p.broadcast());
        assertEquals("10.240.0.0/24", p.toString());
    }

    @Test
    void parsesIpv6() {
        IpPrefix p = IpPrefix.parse("fd00:10:240::/64");
        assertTrue(p.isIpv6());
        assertEquals(BigInteger.ONE.shiftLeft(64), p.size());
        assertEquals(ip("fd00:10:240::1"), p.gateway());
        assertEquals(Optional.empty(), p.broadcast());
        assertEquals(ip("fd00:10:240:0:ffff:ffff:ffff:ffff"), p.lastAddress());
        assertEquals("fd00:10:240::/64", p.toString());
    }

    @Test
    void normalizesHostBitsAndSaysSo() {
        IpPrefix.Parsed parsed = IpPrefix.parseDetailed("10.240.0.7/24");
        assertTrue(parsed.normalized());
        assertEquals(IpPrefix.parse("10.240.0.0/24"), parsed.prefix());
        assertEquals(ip("10.240.0.7"), parsed.address());
        assertFalse(IpPrefix.parseDetailed("10.240.0.0/24").normalized());
        assertTrue(IpPrefix.parseDetailed("fd00::5/64").normalized());
    }

    @Test
    void constructorRefusesHostBits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IpPrefix(ip("10.0.0.1"), 24));
        assertTrue(e.getMessage().contains("host bits"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.240.0.0", "10.240.0.0/", "10.240.0.0/33", "fd00::/129", "10.240.0.0/-1",
            "10.240.0.0/024", "10.240.0.0/24/1", "/24", "foo/24", "10.240.0.0/ 24", "10.240.0/24"})
    void rejectsBadText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(text));
        assertTrue(e.getMessage().contains(text), "message names the input: " + e.getMessage());
    }

    @Test
    void containsOnlySameFamilyInside() {
        IpPrefix p = IpPrefix.parse("10.240.0.0/24");
        assertTrue(p.contains(ip("10.240.0.0")));
        assertTrue(p.contains(ip("10.240.0.255")));
        assertFalse(p.contains(ip("10.240.1.0")));
        assertFalse(p.contains(ip("10.239.255.255")));
        assertFalse(p.contains(ip("::ffff:10.240.0.1")));
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains(ip("255.255.255.255")));
    }

    @Test
    void offsetsAndFormatting() {
        IpPrefix p = IpPrefix.parse("10.240.0.0/24");
        assertEquals(ip("10.240.0.5"), p.addressAt(BigInteger.valueOf(5)));
        assertEquals(BigInteger.valueOf(5), p.offsetOf(ip("10.240.0.5")));
        assertThrows(IllegalArgumentException.class, () -> p.addressAt(BigInteger.valueOf(256)));
        assertThrows(IllegalArgumentException.class, () -> p.addressAt(BigInteger.ONE.negate()));
        assertEquals("10.240.0.5/24", p.withPrefix(ip("10.240.0.5")));
        assertThrows(IllegalArgumentException.class, () -> p.withPrefix(ip("10.0.0.1")));
        assertEquals("fd00:10:240::5/64", IpPrefix.parse("fd00:10:240::/64").withPrefix(ip("fd00:10:240::5")));
    }

    @Test
    void hostPrefixesHaveNoGatewayOrBroadcast() {
        IpPrefix p32 = IpPrefix.parse("10.0.0.1/32");
        assertEquals(BigInteger.ONE, p32.size());
        assertThrows(IllegalStateException.class, p32::gateway);
        assertEquals(Optional.empty(), p32.broadcast());
        assertEquals(Optional.empty(), IpPrefix.parse("10.0.0.0/31").broadcast());
        assertThrows(IllegalStateException.class, IpPrefix.parse("fd00::1/128")::gateway);
    }
}
