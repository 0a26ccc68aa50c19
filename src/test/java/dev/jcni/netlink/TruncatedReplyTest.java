package dev.jcni.netlink;

import dev.jcni.netlink.codec.Hex;
import dev.jcni.netlink.codec.Message;
import dev.jcni.netlink.codec.MessageParser;
import dev.jcni.netlink.codec.NetlinkCodecException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** Cut or malformed replies raise the specific codec exception; a family parser never returns a partial record. */
class TruncatedReplyTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    @Test
    void familyHeadersShorterThanTheirStructAreTruncated() {
        assertThrows(NetlinkCodecException.Truncated.class, () -> LinkOps.parse(Hex.message(RTM_NEWLINK, 0, "00".repeat(15))),
                "ifinfomsg needs 16");
        assertThrows(NetlinkCodecException.Truncated.class, () -> AddrOps.parse(Hex.message(RTM_NEWADDR, 0, "00".repeat(7))),
                "ifaddrmsg needs 8");
        assertThrows(NetlinkCodecException.Truncated.class, () -> RouteOps.parse(Hex.message(RTM_NEWROUTE, 0, "00".repeat(11))),
                "rtmsg needs 12");
        assertThrows(NetlinkCodecException.Truncated.class, () -> NeighOps.parse(Hex.message(RTM_NEWNEIGH, 0, "00".repeat(11))),
                "ndmsg needs 12");
        assertThrows(NetlinkCodecException.Truncated.class, () -> LinkOps.parse(Hex.message(RTM_NEWLINK, 0, "")));
    }

    @Test
    void aRecordedLinkCutAnywhereInsideAnAttributeIsTruncated() {
        everyCutOfTheBody(KernelReplies.LINK_VX0, IFINFOMSG_LEN, LinkOps::parse);
        everyCutOfTheBody(KernelReplies.LINK_VH0, IFINFOMSG_LEN, LinkOps::parse);
    }

    @Test
    void recordedAddressesRoutesAndNeighboursCutAnywhereInsideAnAttributeAreTruncated() {
        everyCutOfTheBody(KernelReplies.ADDR_DUMP, IFADDRMSG_LEN, AddrOps::parse);
        everyCutOfTheBody(KernelReplies.ROUTE_DUMP, RTMSG_LEN, RouteOps::parse);
        everyCutOfTheBody(KernelReplies.FDB_DUMP, NDMSG_LEN, NeighOps::parse);
    }

    /**
     * Cuts the first message's body at every length. A cut inside the family header or inside a
     * top-level attribute (nests included) must raise Truncated; a cut that falls between two
     * top-level attributes leaves a well-formed, shorter message and must parse.
     */
    private static void everyCutOfTheBody(String datagram, int headerLen, Function<Message, ?> parser) {
        Message whole = Hex.messages(datagram).getFirst();
        byte[] body = new byte[whole.body().remaining()];
        whole.view().get(body);
        Set<Integer> wellFormedCuts = new HashSet<>();
        wellFormedCuts.add(headerLen);
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
        for (int off = headerLen; off < body.length; ) {
            int len = Short.toUnsignedInt(b.getShort(off));
            for (int end = off + len; end <= Math.min(body.length, align(off + len)); end++) wellFormedCuts.add(end);
            off = align(off + len);
        }
        int truncated = 0;
        for (int cut = 0; cut < body.length; cut++) {
            Message m = new Message(whole.type(), whole.flags(), whole.seq(), whole.portId(),
                    ByteBuffer.wrap(Arrays.copyOf(body, cut)).order(ByteOrder.nativeOrder()));
            if (wellFormedCuts.contains(cut)) {
                if (cut > headerLen || !requiresAttributes(whole.type())) assertNotNull(parser.apply(m));
            } else {
                final int at = cut;
                assertThrows(NetlinkCodecException.Truncated.class, () -> parser.apply(m), "cut at " + at);
                truncated++;
            }
        }
        assertTrue(truncated > body.length / 2, "most cuts land inside an attribute");
    }

    /** An address message without IFA_ADDRESS is rejected as corrupt, not truncated. */
    private static boolean requiresAttributes(int type) { return type == RTM_NEWADDR; }

    @Test
    void aRecordedDatagramCutShortIsTruncatedAtTheMessageLevel() {
        byte[] route = Hex.parse(KernelReplies.ROUTE_DUMP);
        assertThrows(NetlinkCodecException.Truncated.class, () -> MessageParser.parse(route, 52 + 30),
                "second message cut after 30 of its 68 bytes");
        assertThrows(NetlinkCodecException.Truncated.class, () -> MessageParser.parse(route, 52 + 8),
                "second message cut mid-header");
        byte[] link = Hex.parse(KernelReplies.LINK_VX0);
        assertThrows(NetlinkCodecException.Truncated.class, () -> MessageParser.parse(link, link.length - 1));
    }

    @Test
    void vxlanWithoutInfoDataIsCorrupt() {
        Message m = Hex.message(RTM_NEWLINK, 0, """
                00 00 0100 07000000 02100000 00000000  # ifinfomsg, index 7
                0800 0300 76783000                     # IFLA_IFNAME "vx0"
                1000 1280                              # IFLA_LINKINFO
                  0a00 0100 76786c616e00 0000          #   IFLA_INFO_KIND "vxlan", no IFLA_INFO_DATA
                """);
        assertThrows(NetlinkCodecException.Corrupt.class, () -> LinkOps.parse(m));
    }

    @Test
    void vxlanWithATwoByteVniIsTruncated() {
        Message m = Hex.message(RTM_NEWLINK, 0, """
                00 00 0100 07000000 02100000 00000000
                0800 0300 76783000
                1c00 1280                              # IFLA_LINKINFO, len 28
                  0a00 0100 76786c616e00 0000          #   IFLA_INFO_KIND "vxlan"
                  0c00 0280                            #   IFLA_INFO_DATA, len 12
                    0600 0100 2a00 0000                #     IFLA_VXLAN_ID with 2 bytes
                """);
        assertThrows(NetlinkCodecException.Truncated.class, () -> LinkOps.parse(m));
    }

    @Test
    void aLinkWhoseMtuHasTwoBytesIsTruncatedNotZero() {
        Message m = Hex.message(RTM_NEWLINK, 0, """
                00 00 0100 07000000 00000000 00000000
                0600 0400 dc05 0000                    # IFLA_MTU with 2 bytes
                """);
        assertThrows(NetlinkCodecException.Truncated.class, () -> LinkOps.parse(m));
    }

    @Test
    void anAddressMessageWithoutAnAddressIsCorrupt() {
        Message m = Hex.message(RTM_NEWADDR, 0, """
                02 18 80 00 02000000                   # ifaddrmsg
                0700 0300 627200 00                    # IFA_LABEL only
                """);
        assertThrows(NetlinkCodecException.Corrupt.class, () -> AddrOps.parse(m));
    }

    @Test
    void anAddressOfFiveBytesIsCorrupt() {
        Message m = Hex.message(RTM_NEWADDR, 0, "02 18 80 00 02000000 0900 0100 0af0000100 000000");
        assertThrows(NetlinkCodecException.Corrupt.class, () -> AddrOps.parse(m));
    }

    @Test
    void aRouteWithAMalformedGatewayIsCorrupt() {
        Message m = Hex.message(RTM_NEWROUTE, 0, "02 00 00 00 fe 03 00 01 00000000 0a00 0500 c00002fe0000 0000");
        assertThrows(NetlinkCodecException.Corrupt.class, () -> RouteOps.parse(m));
    }
}
