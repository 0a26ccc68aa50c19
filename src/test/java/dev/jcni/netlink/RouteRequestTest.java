package dev.jcni.netlink;

import dev.jcni.netlink.codec.Hex;
import dev.jcni.netlink.codec.MessageParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static dev.jcni.netlink.codec.Hex.assertBytes;
import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** RTM_NEWROUTE / RTM_DELROUTE requests against rtnetlink.h (rtmsg, RTA_*, RTPROT_*, RT_SCOPE_*, RTNH_F_*). */
class RouteRequestTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    private static InetAddress ip(String s) { return Inet.parse(s); }

    @Test
    void addDefaultViaGatewayOnlinkWithProtocol() {
        Route r = Route.defaultVia(ip("192.0.2.254"), 6).withOnlink(true).withProtocol(RTPROT_STATIC);
        byte[] b = RouteOps.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r).build(1, 0);
        assertBytes("""
                2c000000 1800 0506 01000000 00000000  # len 44, RTM_NEWROUTE (24), REQUEST|ACK|EXCL|CREATE
                02 00 00 00                           # rtmsg: AF_INET, dst_len 0 (default), src_len 0, tos 0
                fe 04 00 01                           #   table main (254), proto static (4), scope universe, RTN_UNICAST
                04000000                              #   rtm_flags RTNH_F_ONLINK
                0800 0500 c00002fe                    # RTA_GATEWAY 192.0.2.254 (no RTA_DST for a default route)
                0800 0400 06000000                    # RTA_OIF 6
                """, b);
    }

    @Test
    void replaceInATableAbove255WithPrefsrcAndPriority() {
        Route r = Route.via(IpNet.parse("10.1.2.3/16"), ip("192.0.2.254"), 6)
                .withTable(1000).withSrc(ip("192.0.2.1")).withPriority(100);
        byte[] b = RouteOps.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r).build(1, 0);
        assertBytes("""
                4c000000 1800 0505 01000000 00000000  # len 76, REQUEST|ACK|REPLACE|CREATE (0x505)
                02 10 00 00                           # rtmsg: AF_INET, /16
                00 03 00 01                           #   table RT_TABLE_UNSPEC (the real one is in RTA_TABLE), proto boot
                00000000
                0800 0100 0a010000                    # RTA_DST 10.1.0.0: host bits cleared
                0800 0700 c0000201                    # RTA_PREFSRC 192.0.2.1
                0800 0500 c00002fe                    # RTA_GATEWAY
                0800 0400 06000000                    # RTA_OIF 6
                0800 0600 64000000                    # RTA_PRIORITY 100
                0800 0f00 e8030000                    # RTA_TABLE 1000
                """, b);
    }

    @Test
    void delLinkScopeRouteInASmallTableUsesTheHeaderOnly() {
        Route r = Route.link(IpNet.parse("10.240.0.0/24"), 2).withTable(100);
        byte[] b = RouteOps.request(RTM_DELROUTE, 0, r).build(3, 0);
        assertBytes("""
                2c000000 1900 0500 03000000 00000000  # len 44, RTM_DELROUTE (25), REQUEST|ACK, seq 3
                02 18 00 00 64 03 fd 01 00000000      # rtmsg: AF_INET /24, table 100, boot, scope link (253), unicast
                0800 0100 0af00000                    # RTA_DST 10.240.0.0
                0800 0400 02000000                    # RTA_OIF 2
                """, b);
    }

    @Test
    void ipv6RouteViaLinkLocalGateway() {
        Route r = Route.via(IpNet.parse("2001:db8:1::/48"), ip("fe80::1"), 6);
        byte[] b = RouteOps.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r).build(1, 0);
        assertBytes("""
                4c000000 1800 0506 01000000 00000000  # len 76
                0a 30 00 00 fe 03 00 01 00000000      # rtmsg: AF_INET6 /48, main, boot, universe, unicast
                1400 0100 20010db8000100000000000000000000  # RTA_DST
                1400 0500 fe800000000000000000000000000001  # RTA_GATEWAY
                0800 0400 06000000                    # RTA_OIF
                """, b);
    }

    @Test
    void anExplicitZeroPrefixIsADefaultRouteWithoutRtaDst() {
        Route r = Route.via(IpNet.parse("0.0.0.0/0"), ip("192.0.2.254"), 0);
        byte[] b = RouteOps.request(RTM_NEWROUTE, 0, r).build(1, 0);
        assertEquals(16 + 12 + 8, b.length, "only RTA_GATEWAY: no RTA_DST, no RTA_OIF for oif 0");
    }

    @Test
    void theRouteParserReadsBackTheRequestInBothTableEncodings() {
        for (int table : new int[]{RT_TABLE_MAIN, 100, 1000, 0x7fffffff}) {
            Route r = Route.via(IpNet.parse("10.1.0.0/16"), ip("192.0.2.254"), 6)
                    .withTable(table).withSrc(ip("192.0.2.1")).withPriority(100).withOnlink(true).withScope(RT_SCOPE_UNIVERSE);
            byte[] b = RouteOps.request(RTM_NEWROUTE, 0, r).build(1, 0);
            assertEquals(r, RouteOps.parse(MessageParser.parse(b, b.length).getFirst()), "table " + table);
        }
    }
}
