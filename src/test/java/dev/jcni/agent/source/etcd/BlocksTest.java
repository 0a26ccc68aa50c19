package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpPrefix;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlocksTest {
    private static IpPrefix p(String s) {
        return IpPrefix.parse(s);
    }

    @Test
    void blocksInAddressOrder() {
        assertEquals(List.of(p("10.244.0.0/18"), p("10.244.64.0/18"), p("10.244.128.0/18"), p("10.244.192.0/18")),
                Blocks.all(p("10.244.0.0/16"), 18).toList());
        assertEquals(256, Blocks.all(p("10.244.0.0/16"), 24).count());
        assertEquals(p("10.244.255.0/24"), Blocks.all(p("10.244.0.0/16"), 24).toList().getLast());
        assertEquals(List.of(p("10.244.0.0/16")), Blocks.all(p("10.244.0.0/16"), 16).toList());
    }

    @Test
    void overlapAndMembership() {
        assertTrue(Blocks.overlap(p("10.244.0.0/23"), p("10.244.1.0/24")));
        assertTrue(Blocks.overlap(p("10.244.1.0/24"), p("10.244.0.0/23")));
        assertFalse(Blocks.overlap(p("10.244.2.0/24"), p("10.244.0.0/23")));
        assertFalse(Blocks.overlap(p("10.244.0.0/24"), p("fd00::/64")));
        assertTrue(Blocks.isBlockOf(p("10.244.0.0/16"), 24, p("10.244.7.0/24")));
        assertFalse(Blocks.isBlockOf(p("10.244.0.0/16"), 24, p("10.245.7.0/24")));
        assertFalse(Blocks.isBlockOf(p("10.244.0.0/16"), 24, p("10.244.6.0/23")));
    }
}
