package dev.jcni.agent.source.etcd;

import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubnetTableTest {
    private static SubnetTable.Entry entry(String cidr, String node, String ip, long rev) {
        return SubnetTable.Entry.of(IpPrefix.parse(cidr), "{\"node\":\"" + node + "\",\"ip\":\"" + ip + "\"}", rev, 7);
    }

    @Test
    void snapshotShowsEachNodeOnceWithItsNewestBlockAndSelfAsGiven() {
        SubnetTable t = new SubnetTable(List.of(
                entry("10.244.0.0/24", "n1", "192.168.1.1", 5),
                entry("10.244.1.0/24", "n2", "192.168.1.2", 3),
                entry("10.244.2.0/24", "n2", "192.168.1.2", 9),  // stale twin: newest wins
                entry("10.244.3.0/24", "me", "192.168.1.9", 4),  // our stale key: self overrides
                SubnetTable.Entry.of(IpPrefix.parse("10.244.4.0/24"), "garbage", 6, 7)));
        NodeInfo self = new NodeInfo("me", IpAddresses.parse("192.168.1.3"), List.of(IpPrefix.parse("10.244.5.0/24")));

        ClusterState s = t.snapshot("me", self);
        assertEquals(3, s.nodes().size(), s.toString());
        assertEquals(List.of(IpPrefix.parse("10.244.0.0/24")), s.node("n1").orElseThrow().podCidrs());
        assertEquals(List.of(IpPrefix.parse("10.244.2.0/24")), s.node("n2").orElseThrow().podCidrs());
        assertEquals(self, s.node("me").orElseThrow());
        assertFalse(t.snapshot("me", null).node("me").isPresent(), "no self before a block is held");
    }

    @Test
    void unreadableEntriesStillHoldTheirBlock() {
        SubnetTable t = new SubnetTable(List.of(SubnetTable.Entry.of(IpPrefix.parse("10.244.4.0/24"), "{}", 6, 7)));
        SubnetTable.Entry e = t.get(IpPrefix.parse("10.244.4.0/24")).orElseThrow();
        assertNull(e.owner());
        assertTrue(e.problem().contains("node"), e.problem());
        assertTrue(t.conflicts(IpPrefix.parse("10.244.4.0/24")));
        assertTrue(t.conflicts(IpPrefix.parse("10.244.4.0/23")), "a larger block overlapping it");
        assertFalse(t.conflicts(IpPrefix.parse("10.244.5.0/24")));
    }

    @Test
    void conflictsCoverBlocksOfOtherSizes() {
        SubnetTable t = new SubnetTable(List.of(entry("10.244.8.0/22", "a", "192.168.1.1", 1),
                entry("10.244.20.0/26", "b", "192.168.1.2", 2)));
        for (String hit : List.of("10.244.9.0/24", "10.244.8.0/24", "10.244.11.0/24", "10.244.20.0/24",
                "10.244.0.0/20", "10.244.20.0/26", "10.244.8.0/22")) {
            assertTrue(t.conflicts(IpPrefix.parse(hit)), hit);
        }
        for (String miss : List.of("10.244.12.0/24", "10.244.7.0/24", "10.244.21.0/24", "10.244.20.64/26")) {
            assertFalse(t.conflicts(IpPrefix.parse(miss)), miss);
        }
        t.remove(IpPrefix.parse("10.244.8.0/22"));
        assertFalse(t.conflicts(IpPrefix.parse("10.244.9.0/24")), "removed entries no longer conflict");
    }

    @Test
    void findingAFreeBlockInABigClusterIsQuick() {
        SubnetTable t = new SubnetTable();
        Blocks.all(IpPrefix.parse("10.0.0.0/8"), 24).limit(5000)
                .forEach(b -> t.put(new SubnetTable.Entry(b, null, "x", 1, 1)));
        long start = System.nanoTime();
        IpPrefix free = Blocks.all(IpPrefix.parse("10.0.0.0/8"), 24).filter(b -> !t.conflicts(b)).findFirst().orElseThrow();
        assertEquals(IpPrefix.parse("10.19.136.0/24"), free);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @Test
    void putReportsWhatItReplaced() {
        SubnetTable t = new SubnetTable();
        assertTrue(t.put(entry("10.244.0.0/24", "n1", "192.168.1.1", 1)).isEmpty());
        assertEquals("n1", t.put(entry("10.244.0.0/24", "n2", "192.168.1.2", 2)).orElseThrow().owner().node());
        assertEquals(List.of(), t.ownedBy("n1"));
        assertEquals(1, t.ownedBy("n2").size());
        assertTrue(t.remove(IpPrefix.parse("10.244.0.0/24")).isPresent());
        assertTrue(t.entries().isEmpty());
    }
}
