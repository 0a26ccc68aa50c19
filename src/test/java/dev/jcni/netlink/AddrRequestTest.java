package dev.jcni.netlink;

import dev.jcni.netlink.codec.Hex;
import dev.jcni.netlink.codec.MessageParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.jcni.netlink.codec.Hex.assertBytes;
import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** RTM_NEWADDR / RTM_DELADDR requests against rtnetlink.h (ifaddrmsg) and if_addr.h (IFA_*). */
class AddrRequestTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    @Test
    void addIpv4IgnoresNodad() {
        byte[] b = AddrOps.request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, 3, IpNet.parse("10.240.0.5/24"), true).build(1, 0);
        assertBytes("""
                28000000 1400 0506 01000000 00000000  # len 40, RTM_NEWADDR (20), REQUEST|ACK|EXCL|CREATE
                02 18 00 00 03000000                  # ifaddrmsg: AF_INET, /24, flags 0, scope universe, index 3
                0800 0200 0af00005                    # IFA_LOCAL 10.240.0.5 (host bits kept)
                0800 0100 0af00005                    # IFA_ADDRESS 10.240.0.5
                """, b);
    }

    @Test
    void addIpv6WithNodadSetsTheHeaderFlagAndIfaFlags() {
        byte[] b = AddrOps.request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, 3, IpNet.parse("2001:db8::5/64"), true).build(1, 0);
        assertBytes("""
                48000000 1400 0506 01000000 00000000  # len 72
                0a 40 02 00 03000000                  # ifaddrmsg: AF_INET6, /64, IFA_F_NODAD, universe, index 3
                1400 0200 20010db8000000000000000000000005  # IFA_LOCAL, len 20
                1400 0100 20010db8000000000000000000000005  # IFA_ADDRESS
                0800 0800 02000000                    # IFA_FLAGS (8) u32 IFA_F_NODAD
                """, b);
    }

    @Test
    void addIpv6WithoutNodadHasNoIfaFlags() {
        byte[] b = AddrOps.request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, 3, IpNet.parse("2001:db8::5/64"), false).build(1, 0);
        assertEquals(16 + 8 + 20 + 20, b.length);
        assertEquals(0, b[16 + 2], "ifa_flags");
    }

    @Test
    void delCarriesNoCreateFlags() {
        byte[] b = AddrOps.request(RTM_DELADDR, 0, 9, IpNet.parse("192.0.2.1/32"), false).build(7, 0);
        assertBytes("""
                28000000 1500 0500 07000000 00000000  # len 40, RTM_DELADDR (21), REQUEST|ACK, seq 7
                02 20 00 00 09000000                  # AF_INET /32 index 9
                0800 0200 c0000201
                0800 0100 c0000201
                """, b);
    }

    @Test
    void theAddressParserReadsBackTheRequest() {
        byte[] b = AddrOps.request(RTM_NEWADDR, 0, 3, IpNet.parse("2001:db8::5/64"), true).build(1, 0);
        Address a = AddrOps.parse(MessageParser.parse(b, b.length).getFirst());
        assertEquals(3, a.ifindex());
        assertEquals(IpNet.parse("2001:db8::5/64"), a.address());
        assertTrue(a.noDad());
        assertNull(a.label());
    }
}
