package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void parsesDottedQuad() {
        InetAddress a = IpAddresses.parse("10.240.0.5");
        assertInstanceOf(Inet4Address.class, a);
        assertEquals("10.240.0.5", IpAddresses.format(a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.1", "10.0.0", "010.1.1.1", "256.0.0.1", "1.2.3.4.5", "localhost",
            "example.com", "fe80::1%eth0", "[::1]", "1:2:3:4:5:6:7:8:9", "::g", " 10.0.0.1", "10.0.0.1 "})
    void rejectsAnythingButALiteral(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(text));
        assertTrue(e.getMessage().contains("IP address"), e.getMessage());
    }

    @Test
    void ipv4MappedIpv6StaysIpv6() {
        InetAddress a = IpAddresses.parse("::ffff:10.0.0.1");
        assertInstanceOf(Inet6Address.class, a);
        assertEquals("::ffff:a00:1", IpAddresses.format(a));
        assertInstanceOf(Inet6Address.class, IpAddresses.fromBigInteger(IpAddresses.toBigInteger(a), true));
    }

    @ParameterizedTest
    @CsvSource({
        "fd00:10:240:0:0:0:0:5, fd00:10:240::5",
        "FD00:0:0:1:0:0:1:1, fd00::1:0:0:1:1", // first of two equal runs
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // a single zero group is not shortened
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "fd00:0:0:0:0:0:0:0, fd00::",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",          // the longer run wins
    })
    void formatsIpv6PerRfc5952(String in, String out) {
        assertEquals(out, IpAddresses.format(IpAddresses.parse(in)));
    }

    @Test
    void bigIntegerRoundTripAndBounds() {
        InetAddress a = IpAddresses.fromBigInteger(BigInteger.valueOf(0x0af00005L), false);
        assertEquals("10.240.0.5", IpAddresses.format(a));
        assertEquals(BigInteger.valueOf(0xffffffffL), IpAddresses.toBigInteger(IpAddresses.parse("255.255.255.255")));
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.fromBigInteger(BigInteger.ONE.shiftLeft(32), false));
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.fromBigInteger(BigInteger.ONE.negate(), true));
    }

    @Test
    void fileNamesAreOneSafeSegmentAndRoundTrip() {
        InetAddress v6 = IpAddresses.parse("fd00:10:240::5");
        assertEquals("fd00_10_240__5", IpAddresses.toFileName(v6));
        assertEquals(Optional.of(v6), IpAddresses.fromFileName("fd00_10_240__5"));
        assertEquals("10.240.0.5", IpAddresses.toFileName(IpAddresses.parse("10.240.0.5")));
        assertEquals(Optional.empty(), IpAddresses.fromFileName("lock"));
        assertEquals(Optional.empty(), IpAddresses.fromFileName("last_reserved_ip.10.240.0.0-24"));
        assertEquals(Optional.empty(), IpAddresses.fromFileName(".tmp-123"));
        // Non-canonical spellings are not ours: one address, one file name.
        assertEquals(Optional.empty(), IpAddresses.fromFileName("fd00_10_240_0_0_0_0_5"));
    }

    @Test
    void orderPutsIpv4FirstThenNumeric() {
        var sorted = java.util.stream.Stream.of("fd00::1", "10.0.0.10", "10.0.0.9", "::2")
                .map(IpAddresses::parse).sorted(IpAddresses.ORDER).map(IpAddresses::format).toList();
        assertEquals(java.util.List.of("10.0.0.9", "10.0.0.10", "::2", "fd00::1"), sorted);
    }
}
