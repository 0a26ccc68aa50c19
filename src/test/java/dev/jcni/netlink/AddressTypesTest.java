package dev.jcni.netlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Inet} (literal-only parsing, RFC 5952 text), {@link IpNet} and {@link Mac}. */
class AddressTypesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "::,                                        ::",
            "::1,                                       ::1",
            "1::,                                       1::",
            "0:0:0:0:0:0:0:1,                           ::1",
            "1:0:0:0:0:0:0:0,                           1::",
            "2001:0db8:0000:0000:0000:0000:0000:0001,   2001:db8::1",   // 4.1: no leading zeros
            "2001:DB8::ABCD,                            2001:db8::abcd", // 4.3: lower case
            "2001:db8:0:1:1:1:1:1,                      2001:db8:0:1:1:1:1:1", // 4.2.2: one zero field stays
            "2001:0:0:1:0:0:0:1,                        2001:0:0:1::1",  // 4.2.3: the longest run
            "2001:db8:0:0:1:0:0:1,                      2001:db8::1:0:0:1", // 4.2.3: the first of equal runs
            "0:0:1:0:0:0:1:0,                           0:0:1::1:0",
            "1:0:0:2:0:0:0:0,                           1:0:0:2::",
            "0:1:0:1:0:1:0:1,                           0:1:0:1:0:1:0:1",
            "1:2:3:4:5:6:7:8,                           1:2:3:4:5:6:7:8",
            "fe80::0001:0:0:0:ff,                       fe80:0:0:1::ff",
            "10.0.0.1,                                  10.0.0.1",
    })
    void formatsRfc5952(String literal, String expected) {
        assertEquals(expected, Inet.format(Inet.parse(literal)));
    }

    @Test
    void parsesLiteralsOfBothFamiliesAndTrims() {
        assertInstanceOf(Inet4Address.class, Inet.parse(" 192.0.2.1 "));
        assertInstanceOf(Inet6Address.class, Inet.parse("2001:db8::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.1000", "1..2.3",
            "1.2.3.", "-1.2.3.4", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "12345::", "::g", "2001:db8::1/64"})
    void rejectsAnythingButALiteralWithoutLookingItUp(String s) {
        assertThrows(IllegalArgumentException.class, () -> Inet.parse(s));
    }

    @Test
    void ipNetKeepsHostBitsAndPrintsCanonically() {
        IpNet n = IpNet.parse("10.240.0.5/24");
        assertEquals(Inet.parse("10.240.0.5"), n.ip());
        assertEquals(24, n.prefixLength());
        assertEquals(2, n.family());
        assertFalse(n.isIpv6());
        assertEquals("10.240.0.5/24", n.toString());
        IpNet v6 = IpNet.parse("2001:0DB8::0005/64");
        assertTrue(v6.isIpv6());
        assertEquals(10, v6.family());
        assertEquals("2001:db8::5/64", v6.toString());
    }

    @Test
    void ipNetWithoutPrefixIsAHost() {
        assertEquals(IpNet.parse("10.0.0.1/32"), IpNet.parse("10.0.0.1"));
        assertEquals(IpNet.parse("2001:db8::1/128"), IpNet.parse("2001:db8::1"));
        assertEquals(IpNet.parse("10.0.0.1/32"), IpNet.host(Inet.parse("10.0.0.1")));
        assertEquals(IpNet.parse("::1/128"), IpNet.host(Inet.parse("::1")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.240.0.5/24,          10.240.0.0/24",
            "10.240.31.5/20,         10.240.16.0/20",
            "10.1.2.3/0,             0.0.0.0/0",
            "10.1.2.3/32,            10.1.2.3/32",
            "255.255.255.255/1,      128.0.0.0/1",
            "2001:db8:abcd:12::5/62, 2001:db8:abcd:10::/62",
            "2001:db8::1/127,        2001:db8::/127",
            "2001:db8::1/128,        2001:db8::1/128",
            "2001:db8::1/0,          ::/0",
    })
    void networkClearsHostBits(String cidr, String network) {
        IpNet n = IpNet.parse(cidr);
        assertEquals(IpNet.parse(network), n.network());
        assertEquals(IpNet.parse(cidr), n, "network() leaves the original alone");
    }

    @Test
    void containsChecksPrefixAndFamily() {
        IpNet net = IpNet.parse("10.240.0.0/24");
        assertTrue(net.contains(Inet.parse("10.240.0.0")));
        assertTrue(net.contains(Inet.parse("10.240.0.255")));
        assertFalse(net.contains(Inet.parse("10.240.1.0")));
        assertFalse(net.contains(Inet.parse("10.239.255.255")));
        assertTrue(IpNet.parse("10.240.0.77/24").contains(Inet.parse("10.240.0.1")), "host bits of the net do not matter");
        assertTrue(IpNet.parse("0.0.0.0/0").contains(Inet.parse("203.0.113.9")));
        assertFalse(IpNet.parse("0.0.0.0/0").contains(Inet.parse("::1")), "v6 is never in a v4 net");
        assertFalse(IpNet.parse("::/0").contains(Inet.parse("10.0.0.1")), "v4 is never in a v6 net");
        assertTrue(IpNet.parse("2001:db8::/32").contains(Inet.parse("2001:db8:ffff::1")));
        assertFalse(IpNet.parse("2001:db8::/32").contains(Inet.parse("2001:db9::1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/33", "10.0.0.1/-1", "2001:db8::/129", "10.0.0.1/x", "10.0.0.1/", "nope/24"})
    void rejectsBadPrefixes(String s) {
        assertThrows(IllegalArgumentException.class, () -> IpNet.parse(s));
    }

    @Test
    void macParsesAnyCaseAndFormatsLowerCase() {
        byte[] b = Mac.parse("02:00:00:00:0A:FF");
        assertArrayEquals(new byte[]{2, 0, 0, 0, 0x0a, (byte) 0xff}, b);
        assertEquals("02:00:00:00:0a:ff", Mac.format(b));
        assertNull(Mac.format(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02:00:00:00:0a", "02:00:00:00:0a:01:02", "02-00-00-00-0a-01", "020000000a01",
            "2:0:0:0:a:1", "zz:00:00:00:00:00"})
    void rejectsMalformedMacs(String s) {
        assertThrows(IllegalArgumentException.class, () -> Mac.parse(s));
    }
}
