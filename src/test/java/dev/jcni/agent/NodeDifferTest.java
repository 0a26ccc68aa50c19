package dev.jcni.agent;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Inet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NodeDifferTest {
    static NodeInfo node(String name, String ip, String... cidrs) {
        return new NodeInfo(name, Inet.parse(ip), List.of(cidrs).stream().map(IpPrefix::parse).toList());
    }

    @Test
    void addedChangedRemovedInNameOrder() {
        ClusterState before = ClusterState.of(List.of(node("b", "10.10.10.2", "10.240.1.0/24"), node("a", "10.10.10.1", "10.240.0.0/24"),
                node("c", "10.10.10.3", "10.240.2.0/24")));
        ClusterState after = ClusterState.of(List.of(node("a", "10.10.10.1", "10.240.0.0/24"), node("b", "10.10.10.2", "10.240.9.0/24"),
                node("e", "10.10.10.5", "10.240.5.0/24"), node("d", "10.10.10.4", "10.240.4.0/24")));
        NodeChanges c = NodeDiffer.diff(before, after);
        assertEquals(List.of("d", "e"), c.added().stream().map(NodeInfo::name).toList());
        assertEquals(1, c.changed().size());
        assertEquals("10.240.9.0/24", c.changed().getFirst().after().podCidrs().getFirst().toString());
        assertEquals(List.of("c"), c.removed().stream().map(NodeInfo::name).toList());
    }

    @Test
    void identicalSnapshotsAreNoChange() {
        ClusterState s = ClusterState.of(List.of(node("a", "10.10.10.1", "10.240.0.0/24")));
        assertTrue(NodeDiffer.diff(s, ClusterState.of(List.copyOf(s.nodes().values()))).isEmpty());
        assertEquals(1, NodeDiffer.diff(ClusterState.EMPTY, s).added().size());
        assertEquals(1, NodeDiffer.diff(s, ClusterState.EMPTY).removed().size());
    }

    @Test
    void nodeIpChangeIsAChange() {
        NodeChanges c = NodeDiffer.diff(ClusterState.of(List.of(node("a", "10.10.10.1", "10.240.0.0/24"))),
                ClusterState.of(List.of(node("a", "10.10.10.9", "10.240.0.0/24"))));
        assertEquals(1, c.changed().size());
    }
}
