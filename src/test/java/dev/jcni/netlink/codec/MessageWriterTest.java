package dev.jcni.netlink.codec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

import static dev.jcni.netlink.codec.Hex.assertBytes;
import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** The writer's primitives, byte for byte: header, padding of odd-length attributes, nest lengths and flags. */
class MessageWriterTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    @Test
    void headerAloneIsSixteenBytesWithSeqAndPortPatchedIn() {
        byte[] b = new MessageWriter(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP).build(0x12345678, 0x01020304);
        assertBytes("""
                10000000  # nlmsg_len   = 16
                1200      # nlmsg_type  = RTM_GETLINK (18)
                0103      # nlmsg_flags = NLM_F_REQUEST|NLM_F_DUMP (0x301)
                78563412  # nlmsg_seq   = 0x12345678
                04030201  # nlmsg_pid   = 0x01020304
                """, b);
    }

    @Test
    void familyStructsHaveTheKernelLayouts() {
        byte[] b = new MessageWriter(RTM_NEWLINK, NLM_F_REQUEST)
                .ifinfomsg(AF_BRIDGE, 1, 7, IFF_UP, 0xffffffff)
                .ifaddrmsg(AF_INET6, 64, IFA_F_NODAD, RT_SCOPE_LINK, 9)
                .rtmsg(AF_INET, 24, 0, 0, RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_LINK, RTN_UNICAST, RTNH_F_ONLINK)
                .ndmsg(AF_INET, 5, NUD_PERMANENT, NTF_SELF, 0)
                .build(1, 0);
        assertBytes("""
                40000000 1000 0100 01000000 00000000  # nlmsghdr, len 64
                07 00 0100 07000000 01000000 ffffffff # ifinfomsg: family 7, pad, type 1, index 7, flags IFF_UP, change ~0
                0a 40 02 fd 09000000                  # ifaddrmsg: family 10, prefixlen 64, flags NODAD, scope link, index 9
                02 18 00 00 fe 04 fd 01 04000000      # rtmsg: inet /24 src 0 tos 0 main static link unicast, flags ONLINK
                02 00 0000 05000000 8000 02 00        # ndmsg: inet, pad1, pad2, ifindex 5, state PERMANENT, flags SELF, type 0
                """, b);
    }

    @Test
    void oddLengthAttributesArePaddedToFourBytesButTheirLengthIsNot() {
        byte[] b = new MessageWriter(RTM_NEWLINK, NLM_F_REQUEST)
                .attrU8(7, 0xab)
                .attrU16(2, 0x1234)
                .attrU16Be(15, 4789)
                .attrString(3, "eth0")
                .attrString(3, "br0")
                .attrString(20, "")
                .attr(1, new byte[]{1, 2, 3, 4, 5, 6})
                .attrU32(4, 0xdeadbeef)
                .build(2, 0);
        assertBytes("""
                58000000 1000 0100 02000000 00000000  # nlmsghdr, len 88
                0500 0700 ab 000000                   # u8: nla_len 5, 3 pad bytes
                0600 0200 3412 0000                   # u16 host order: nla_len 6, 2 pad
                0600 0f00 12b5 0000                   # u16 network order (4789 = 0x12b5)
                0900 0300 6574683000 000000           # "eth0\\0": nla_len 9, 3 pad
                0800 0300 62723000                    # "br0\\0": nla_len 8, no pad
                0500 1400 00 000000                   # "" is just the NUL: nla_len 5
                0a00 0100 010203040506 0000           # 6 raw bytes: nla_len 10, 2 pad
                0800 0400 efbeadde                    # u32
                """, b);
    }

    @Test
    void nestedLengthsCoverTheirPaddedChildrenAndCarryNlaFNested() {
        MessageWriter w = new MessageWriter(RTM_NEWLINK, NLM_F_REQUEST);
        int outer = w.beginNested(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "vxlan");
        int inner = w.beginNested(IFLA_INFO_DATA);
        w.attrU8(IFLA_VXLAN_LEARNING, 1);
        int plain = w.beginPlain(VETH_INFO_PEER);
        w.endNested(plain).endNested(inner).endNested(outer);
        int empty = w.beginNested(IFLA_PROTINFO);
        w.endNested(empty);
        assertBytes("""
                34000000 1000 0100 03000000 00000000  # nlmsghdr, len 52
                2000 1280                             # IFLA_LINKINFO: len 32, type 18|NLA_F_NESTED
                  0a00 0100 76786c616e00 0000         #   IFLA_INFO_KIND "vxlan\\0": len 10, 2 pad
                  1000 0280                           #   IFLA_INFO_DATA: len 16, type 2|NLA_F_NESTED
                    0500 0700 01 000000               #     u8 with 3 pad, counted in the nest
                    0400 0100                         #     beginPlain: len 4, type 1, no NLA_F_NESTED
                0400 0c80                             # empty IFLA_PROTINFO nest: len 4
                """, w.build(3, 0));
    }

    @Test
    void growsPastItsInitialBufferWithoutLosingBytes() {
        MessageWriter w = new MessageWriter(RTM_NEWLINK, NLM_F_REQUEST);
        for (int i = 0; i < 100; i++) w.attrU32(i, i * 3);
        byte[] big = new byte[1001];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        w.attr(200, big);
        int n = w.beginNested(201);
        w.attr(1, new byte[700]);
        w.endNested(n);
        byte[] msg = w.build(4, 0);

        int expectedLen = 16 + 100 * 8 + align(4 + 1001) + 4 + 704;
        assertEquals(expectedLen, msg.length);
        List<Message> parsed = MessageParser.parse(msg, msg.length);
        assertEquals(1, parsed.size());
        Attributes a = Attributes.parse(parsed.getFirst().view());
        for (int i = 0; i < 100; i++) assertEquals(i * 3, a.u32(i).orElseThrow());
        assertArrayEquals(big, a.bytes(200).orElseThrow());
        assertEquals(700, a.nested(201).orElseThrow().bytes(1).orElseThrow().length);
    }

    @Test
    void buildCanBeCalledAgainWithAnotherSequenceNumber() {
        MessageWriter w = new MessageWriter(RTM_GETLINK, NLM_F_REQUEST).ifinfomsg(AF_UNSPEC, 0, 3, 0, 0);
        byte[] first = w.build(1, 0);
        byte[] second = w.build(2, 0);
        assertEquals(32, first.length);
        assertEquals(1, ByteBuffer.wrap(first).order(java.nio.ByteOrder.nativeOrder()).getInt(8));
        assertEquals(2, ByteBuffer.wrap(second).order(java.nio.ByteOrder.nativeOrder()).getInt(8));
        assertEquals(RTM_GETLINK, w.type());
        assertEquals(NLM_F_REQUEST, w.flags());
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBack() throws Exception {
        MessageWriter w = new MessageWriter(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK).ifaddrmsg(AF_INET, 24, 0, 0, 2);
        w.attrU8(1, 200).attrU16(2, 65535).attrU16Be(3, 8472).attrU32(4, -1).attrString(5, "ünïcode")
                .attr(6, InetAddress.getByName("2001:db8::1").getAddress()).attr(7, new byte[]{10, 0, 0, 1});
        int n = w.beginNested(8);
        w.attrU32(1, 42);
        w.endNested(n);
        byte[] b = w.build(99, 0);

        Message m = MessageParser.parse(b, b.length).getFirst();
        assertEquals(RTM_NEWADDR, m.type());
        assertEquals(NLM_F_REQUEST | NLM_F_ACK, m.flags());
        assertEquals(99, m.seq());
        Attributes a = Attributes.after(m.view(), IFADDRMSG_LEN);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), a.types());
        assertEquals(200, a.u8(1).orElseThrow());
        assertEquals(65535, a.u16(2).orElseThrow());
        assertEquals(8472, a.u16be(3).orElseThrow());
        assertEquals(-1, a.u32(4).orElseThrow());
        assertEquals("ünïcode", a.string(5).orElseThrow());
        assertEquals(InetAddress.getByName("2001:db8::1"), a.address(6).orElseThrow());
        assertEquals(InetAddress.getByName("10.0.0.1"), a.address(7).orElseThrow());
        assertEquals(42, a.nested(8).orElseThrow().u32(1).orElseThrow());
    }
}
