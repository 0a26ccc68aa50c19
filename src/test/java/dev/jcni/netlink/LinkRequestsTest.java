package dev.jcni.netlink;

import dev.jcni.netlink.codec.Attributes;
import dev.jcni.netlink.codec.Hex;
import dev.jcni.netlink.codec.Message;
import dev.jcni.netlink.codec.MessageParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;

import static dev.jcni.netlink.codec.Hex.assertBytes;
import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * RTM_NEWLINK requests, byte for byte, written by hand from linux/netlink.h (nlmsghdr),
 * rtnetlink.h (ifinfomsg), if_link.h (IFLA_*, IFLA_INFO_*, IFLA_VXLAN_*) and veth.h (VETH_INFO_PEER).
 */
class LinkRequestsTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    /** nlmsghdr of a link add: RTM_NEWLINK (16), NLM_F_REQUEST|ACK|EXCL|CREATE = 0x605, seq 1, pid 0. */
    private static String header(String lenLe) { return lenLe + " 1000 0506 01000000 00000000\n"; }

    /** ifinfomsg with every field 0: family AF_UNSPEC, pad, type, index, flags, change. */
    private static final String EMPTY_IFINFOMSG = "00 00 0000 00000000 00000000 00000000\n";

    @Test
    void bridgeWithMtu() {
        byte[] b = LinkRequests.add(new LinkSpec.Bridge("br0", 1400)).build(1, 0);
        assertBytes(header("40000000") + EMPTY_IFINFOMSG + """
                0800 0300 62723000                # IFLA_IFNAME "br0\\0": len 8, no pad
                0800 0400 78050000                # IFLA_MTU 1400
                1000 1280                         # IFLA_LINKINFO: len 16, type 18|NLA_F_NESTED
                  0b00 0100 62726964676500 00     #   IFLA_INFO_KIND "bridge\\0": len 11, 1 pad
                """, b);
    }

    @Test
    void dummyWithoutMtuHasNoIflaMtu() {
        byte[] b = LinkRequests.add(new LinkSpec.Dummy("dummy0", 0)).build(1, 0);
        assertBytes(header("3c000000") + EMPTY_IFINFOMSG + """
                0b00 0300 64756d6d793000 00       # IFLA_IFNAME "dummy0\\0": len 11, 1 pad
                1000 1280                         # IFLA_LINKINFO: len 16, nested
                  0a00 0100 64756d6d7900 0000     #   IFLA_INFO_KIND "dummy\\0": len 10, 2 pad
                """, b);
    }

    @Test
    void vethWithPeerNameMtuAndPeerNamespace() {
        NsFd peerNs = new NsFd(42, Path.of("/x")); // never opened, so never closed
        byte[] b = LinkRequests.add(new LinkSpec.Veth("vh0", "eth0", 1450, peerNs)).build(1, 0);
        assertBytes(header("74000000") + EMPTY_IFINFOMSG + """
                0800 0300 76683000                # IFLA_IFNAME "vh0\\0"
                0800 0400 aa050000                # IFLA_MTU 1450
                4400 1280                         # IFLA_LINKINFO: len 68, nested
                  0900 0100 7665746800 000000     #   IFLA_INFO_KIND "veth\\0": len 9, 3 pad
                  3400 0280                       #   IFLA_INFO_DATA: len 52, type 2|NLA_F_NESTED
                    3000 0100                     #     VETH_INFO_PEER: len 48, type 1, NO NLA_F_NESTED
                      00 00 0000 00000000 00000000 00000000  # peer's ifinfomsg
                      0900 0300 6574683000 000000 #       IFLA_IFNAME "eth0\\0": len 9, 3 pad
                      0800 0400 aa050000          #       IFLA_MTU 1450
                      0800 1c00 2a000000          #       IFLA_NET_NS_FD (28) = 42
                """, b);
    }

    @Test
    void vethWithoutOptionsCarriesOnlyThePeerName() {
        byte[] b = LinkRequests.add(new LinkSpec.Veth("a", "b", 0)).build(1, 0);
        assertBytes(header("58000000") + EMPTY_IFINFOMSG + """
                0600 0300 6100 0000               # IFLA_IFNAME "a\\0": len 6, 2 pad
                3000 1280                         # IFLA_LINKINFO: len 48
                  0900 0100 7665746800 000000     #   IFLA_INFO_KIND "veth\\0"
                  2000 0280                       #   IFLA_INFO_DATA: len 32
                    1c00 0100                     #     VETH_INFO_PEER: len 28
                      00 00 0000 00000000 00000000 00000000
                      0600 0300 6200 0000         #       IFLA_IFNAME "b\\0"
                """, b);
    }

    @Test
    void vxlanWithVniLocalPortNolearningAndUnderlay() throws Exception {
        var spec = new LinkSpec.Vxlan("vx0", 42, InetAddress.getByName("192.0.2.1"), 4789, false, 6, 1450);
        byte[] b = LinkRequests.add(spec).build(1, 0);
        assertBytes(header("6c000000") + EMPTY_IFINFOMSG + """
                0800 0300 76783000                # IFLA_IFNAME "vx0\\0"
                0800 0400 aa050000                # IFLA_MTU 1450
                3c00 1280                         # IFLA_LINKINFO: len 60, nested
                  0a00 0100 76786c616e00 0000     #   IFLA_INFO_KIND "vxlan\\0": len 10, 2 pad
                  2c00 0280                       #   IFLA_INFO_DATA: len 44, nested
                    0800 0100 2a000000            #     IFLA_VXLAN_ID 42 (host order)
                    0800 0400 c0000201            #     IFLA_VXLAN_LOCAL 192.0.2.1
                    0800 0300 06000000            #     IFLA_VXLAN_LINK 6
                    0500 0700 00 000000           #     IFLA_VXLAN_LEARNING u8 0: len 5, 3 pad
                    0600 0f00 12b5 0000           #     IFLA_VXLAN_PORT 4789, BIG-endian: len 6, 2 pad
                """, b);
    }

    @Test
    void vxlanWithIpv6LocalUsesLocal6AndLearningOn() throws Exception {
        var spec = new LinkSpec.Vxlan("vx6", 7, InetAddress.getByName("2001:db8::7"), 8472, true, 0, 0);
        byte[] b = LinkRequests.add(spec).build(1, 0);
        Message m = MessageParser.parse(b, b.length).getFirst();
        Attributes top = Attributes.after(m.view(), IFINFOMSG_LEN);
        assertFalse(top.has(IFLA_MTU));
        Attributes data = top.nested(IFLA_LINKINFO).orElseThrow().nested(IFLA_INFO_DATA).orElseThrow();
        assertEquals(java.util.List.of(IFLA_VXLAN_ID, IFLA_VXLAN_LOCAL6, IFLA_VXLAN_LEARNING, IFLA_VXLAN_PORT), data.types(),
                "no IFLA_VXLAN_LINK without an underlay, LOCAL6 instead of LOCAL");
        assertEquals(InetAddress.getByName("2001:db8::7"), data.address(IFLA_VXLAN_LOCAL6).orElseThrow());
        assertEquals(1, data.u8(IFLA_VXLAN_LEARNING).orElseThrow());
        assertEquals(8472, data.u16be(IFLA_VXLAN_PORT).orElseThrow());
    }

    @Test
    void theLinkParserReadsBackWhatTheBuilderWrote() throws Exception {
        var spec = new LinkSpec.Vxlan("vx0", 42, InetAddress.getByName("192.0.2.1"), 4789, false, 6, 1450);
        byte[] b = LinkRequests.add(spec).build(1, 0);
        Link l = LinkOps.parse(MessageParser.parse(b, b.length).getFirst());
        assertEquals("vx0", l.name());
        assertEquals("vxlan", l.kind());
        assertEquals(1450, l.mtu());
        assertEquals(new Link.Vxlan(42, InetAddress.getByName("192.0.2.1"), 4789, false, 6), l.vxlan());
    }
}
