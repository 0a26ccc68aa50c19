package dev.jcni.agent.datapath;

import dev.jcni.agent.Backend;
import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RoutePlannerTest {
    static NodeInfo node(String name, String ip, String... cidrs) {
        return new NodeInfo(name, Inet.parse(ip), List.of(cidrs).stream().map(IpPrefix::parse).toList());
    }

    // n1 and n2 share 10.10.10.0/24; n3 is behind a router on 10.10.20.0/24.
    static final ClusterState STATE = ClusterState.of(List.of(
            node("n1", "10.10.10.11", "10.240.0.0/24"),
            node("n2", "10.10.10.12", "10.240.1.0/24"),
            node("n3", "10.10.20.13", "10.240.2.0/24"),
            new NodeInfo("n4", Inet.parse("10.10.10.14"), List.of())));
    static final List<IpNet> CONNECTED = List.of(IpNet.parse("10.10.10.11/24"));

    @Test
    void hostGwRoutesDirectPeersViaNodeIpAndReportsTheRest() {
        DatapathPlan p = RoutePlanner.plan("n1", STATE, Backend.HOST_GW, CONNECTED);
        assertEquals(List.of(new PeerRoute("n2", IpPrefix.parse("10.240.1.0/24"), Inet.parse("10.10.10.12"), false)), p.routes());
        assertFalse(p.vxlanDevice());
        assertEquals(1, p.unreachable().size());
        assertTrue(p.unreachable().getFirst().startsWith("n3"), p.unreachable().toString());
    }

    @Test
    void vxlanRoutesEveryPeerViaItsVtepOnlinkWithNeighbourAndFdb() {
        DatapathPlan p = RoutePlanner.plan("n1", STATE, Backend.VXLAN, CONNECTED);
        assertEquals(2, p.routes().size());
        PeerRoute r3 = p.routes().get(1);
        assertEquals(Inet.parse("10.240.2.0"), r3.via());
        assertTrue(r3.vxlan());
        assertTrue(p.vxlanDevice());
        assertEquals(new VxlanPeer("n3", Inet.parse("10.240.2.0"), "0e:6a:0a:0a:14:0d", Inet.parse("10.10.20.13")), p.vxlanPeers().get(1));
        assertTrue(p.unreachable().isEmpty());
    }

    @Test
    void autoPicksPerPeer() {
        DatapathPlan p = RoutePlanner.plan("n1", STATE, Backend.AUTO, CONNECTED);
        assertFalse(p.routes().get(0).vxlan(), "n2 shares the subnet: host-gw");
        assertTrue(p.routes().get(1).vxlan(), "n3 is behind a router: vxlan");
        assertEquals(1, p.vxlanPeers().size());
        assertTrue(p.vxlanDevice());
    }

    @Test
    void autoWithAllPeersDirectNeedsNoVxlanDevice() {
        DatapathPlan p = RoutePlanner.plan("n1", STATE, Backend.AUTO, List.of(IpNet.parse("10.10.0.1/16")));
        assertTrue(p.routes().stream().noneMatch(PeerRoute::vxlan));
        assertFalse(p.vxlanDevice());
    }

    @Test
    void nodesWithoutCidrAndSelfAreSkipped() {
        DatapathPlan p = RoutePlanner.plan("n4", STATE, Backend.VXLAN, CONNECTED);
        assertEquals(List.of("n1", "n2", "n3"), p.routes().stream().map(PeerRoute::node).toList());
    }

    @Test
    void vtepMacIsDerivedFromTheNodeIp() {
        assertEquals("0e:6a:0a:0a:0a:0b", Vtep.mac(Inet.parse("10.10.10.11")));
        assertEquals(Inet.parse("10.240.3.0"), Vtep.address(IpPrefix.parse("10.240.3.0/24")));
    }

    @Test
    void aPeerClaimingThisNodesRangeIsRefusedNotRouted() {
        ClusterState s = ClusterState.of(List.of(node("n1", "10.10.10.11", "10.240.0.0/24"),
                node("bad", "10.10.10.66", "10.240.0.0/23")));
        DatapathPlan p = RoutePlanner.plan("n1", s, Backend.HOST_GW, CONNECTED);
        assertTrue(p.routes().isEmpty(), "routing it would replace the route to this node's own pods");
        assertTrue(p.unreachable().getFirst().contains("overlaps"), p.unreachable().toString());
    }
}
