package dev.jcni.netlink;

import dev.jcni.netlink.codec.Hex;
import dev.jcni.netlink.codec.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** The family parsers against real kernel replies ({@link KernelReplies}), field by field. */
class RecordedRepliesTest {
    private static final int RECORDER_PORT = 8909;

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    private static Message single(String datagram) {
        List<Message> ms = Hex.messages(datagram);
        assertEquals(1, ms.size());
        Message m = ms.getFirst();
        assertEquals(RTM_NEWLINK, m.type());
        assertFalse(m.isMulti());
        assertEquals(10, m.seq());
        assertEquals(RECORDER_PORT, m.portId());
        return m;
    }

    @Test
    void vxlanLink() {
        Link l = LinkOps.parse(single(KernelReplies.LINK_VX0));
        assertEquals(7, l.index());
        assertEquals("vx0", l.name());
        assertEquals("vxlan", l.kind());
        assertEquals(1450, l.mtu());
        assertFalse(l.up());
        assertFalse(l.lowerUp());
        assertEquals("02:00:00:00:0e:01", l.mac());
        assertEquals(0, l.masterIndex());
        assertEquals(0, l.parentIndex());
        assertNull(l.linkNetnsId());
        assertNull(l.hairpin());
        assertEquals(new Link.Vxlan(42, Inet.parse("192.0.2.1"), 4789, false, 6), l.vxlan());
    }

    @Test
    void bridgeLink() {
        Link l = LinkOps.parse(single(KernelReplies.LINK_BR0));
        assertEquals(new Link(2, "br0", "bridge", 1500, true, false, "02:00:00:00:0b:01", 0, 0, null, null, null, null), l);
    }

    @Test
    void vethEnslavedToABridgeWithHairpin() {
        Link l = LinkOps.parse(single(KernelReplies.LINK_VH0));
        assertEquals(new Link(4, "vh0", "veth", 1500, false, false, "02:00:00:00:0a:01", 2, 3, null, true, null, null), l);
    }

    @Test
    void addressDumpIsMultipartThenDone() {
        List<Message> ms = Hex.messages(KernelReplies.ADDR_DUMP);
        assertEquals(5, ms.size());
        assertTrue(ms.stream().allMatch(m -> m.type() == RTM_NEWADDR && m.isMulti() && m.seq() == 11));
        assertEquals(List.of(
                new Address(1, IpNet.parse("127.0.0.1/8"), RT_SCOPE_HOST, IFA_F_PERMANENT, "lo"),
                new Address(2, IpNet.parse("10.240.0.1/24"), RT_SCOPE_UNIVERSE, IFA_F_PERMANENT, "br0"),
                new Address(6, IpNet.parse("192.0.2.1/24"), RT_SCOPE_UNIVERSE, IFA_F_PERMANENT, "dummy0"),
                new Address(1, IpNet.parse("::1/128"), RT_SCOPE_HOST, IFA_F_PERMANENT, null),
                new Address(6, IpNet.parse("2001:db8::1/64"), RT_SCOPE_UNIVERSE, IFA_F_PERMANENT | IFA_F_NODAD, null)),
                ms.stream().map(AddrOps::parse).toList());
        assertTrue(AddrOps.parse(ms.get(4)).noDad());
        assertFalse(AddrOps.parse(ms.get(2)).noDad());

        List<Message> done = Hex.messages(KernelReplies.ADDR_DUMP_DONE);
        assertEquals(1, done.size());
        assertEquals(NLMSG_DONE, done.getFirst().type());
        assertTrue(done.getFirst().isMulti());
        assertFalse(done.getFirst().dumpInterrupted());
    }

    @Test
    void routeDumpAcrossTables() {
        List<Message> ms = Hex.messages(KernelReplies.ROUTE_DUMP);
        assertTrue(ms.stream().allMatch(m -> m.type() == RTM_NEWROUTE && m.isMulti()));
        var gw = Inet.parse("192.0.2.254");
        var br = Inet.parse("10.240.0.1");
        var lo = Inet.parse("127.0.0.1");
        var ul = Inet.parse("192.0.2.1");
        int uni = RTN_UNICAST, local = RTN_LOCAL, bcast = 3, kernel = RTPROT_KERNEL;
        assertEquals(List.of(
                // rtm_flags 0x14 = ONLINK|LINKDOWN: only the ONLINK bit makes onlink
                new Route(AF_INET, null, gw, 6, RTPROT_BOOT, 1000, RT_SCOPE_UNIVERSE, null, true, 0, uni),
                new Route(AF_INET, IpNet.parse("10.1.0.0/16"), gw, 6, RTPROT_STATIC, RT_TABLE_MAIN, RT_SCOPE_UNIVERSE, null, false, 100, uni),
                new Route(AF_INET, IpNet.parse("10.240.0.0/24"), null, 2, kernel, RT_TABLE_MAIN, RT_SCOPE_LINK, br, false, 0, uni),
                new Route(AF_INET, IpNet.parse("192.0.2.0/24"), null, 6, kernel, RT_TABLE_MAIN, RT_SCOPE_LINK, ul, false, 0, uni),
                new Route(AF_INET, IpNet.parse("10.240.0.1/32"), null, 2, kernel, RT_TABLE_LOCAL, RT_SCOPE_HOST, br, false, 0, local),
                new Route(AF_INET, IpNet.parse("10.240.0.255/32"), null, 2, kernel, RT_TABLE_LOCAL, RT_SCOPE_LINK, br, false, 0, bcast),
                new Route(AF_INET, IpNet.parse("127.0.0.0/8"), null, 1, kernel, RT_TABLE_LOCAL, RT_SCOPE_HOST, lo, false, 0, local),
                new Route(AF_INET, IpNet.parse("127.0.0.1/32"), null, 1, kernel, RT_TABLE_LOCAL, RT_SCOPE_HOST, lo, false, 0, local),
                new Route(AF_INET, IpNet.parse("127.255.255.255/32"), null, 1, kernel, RT_TABLE_LOCAL, RT_SCOPE_LINK, lo, false, 0, bcast),
                new Route(AF_INET, IpNet.parse("192.0.2.1/32"), null, 6, kernel, RT_TABLE_LOCAL, RT_SCOPE_HOST, ul, false, 0, local),
                new Route(AF_INET, IpNet.parse("192.0.2.255/32"), null, 6, kernel, RT_TABLE_LOCAL, RT_SCOPE_LINK, ul, false, 0, bcast)),
                ms.stream().map(RouteOps::parse).toList());
        assertTrue(RouteOps.parse(ms.getFirst()).isDefault());
        assertEquals("default via 192.0.2.254 dev#6 table 1000 onlink", RouteOps.parse(ms.getFirst()).toString());
    }

    @Test
    void neighbourDumpWithDoneInTheSameDatagram() {
        List<Message> ms = Hex.messages(KernelReplies.NEIGH_DUMP);
        assertEquals(List.of(RTM_NEWNEIGH, RTM_NEWNEIGH, NLMSG_DONE), ms.stream().map(Message::type).toList());
        assertTrue(ms.stream().allMatch(Message::isMulti));
        assertEquals(List.of(
                new Neighbor(AF_INET, 6, Inet.parse("192.0.2.9"), "02:00:00:00:00:09", NUD_PERMANENT, 0),
                new Neighbor(AF_INET, 2, Inet.parse("224.0.0.22"), "01:00:5e:00:00:16", NUD_NOARP, 0)),
                ms.subList(0, 2).stream().map(NeighOps::parse).toList());
    }

    @Test
    void bridgeFdbDump() {
        List<Message> ms = Hex.messages(KernelReplies.FDB_DUMP);
        assertEquals(13, ms.size());
        List<Neighbor> all = ms.stream().map(NeighOps::parse).toList();
        assertTrue(all.stream().allMatch(n -> n.family() == AF_BRIDGE));
        assertEquals(List.of(new Neighbor(AF_BRIDGE, 7, Inet.parse("192.0.2.7"), "00:00:00:00:00:00",
                        NUD_PERMANENT | NUD_NOARP, NTF_SELF)),
                all.stream().filter(n -> n.ifindex() == 7).toList());
        assertTrue(all.contains(new Neighbor(AF_BRIDGE, 4, null, "02:00:00:00:0a:01", NUD_PERMANENT, 0)),
                "vh0's own MAC, learned by the bridge as permanent (flags 0: a master entry)");
    }
}
