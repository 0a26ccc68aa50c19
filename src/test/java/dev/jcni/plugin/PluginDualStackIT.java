package dev.jcni.plugin;

import dev.jcni.testing.Privileged;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jcni.plugin.PluginHarness.GATEWAY;
import static dev.jcni.plugin.PluginHarness.GATEWAY6;
import static dev.jcni.plugin.PluginHarness.POD_CIDR;
import static dev.jcni.plugin.PluginHarness.POD_CIDR6;
import static dev.jcni.plugin.PluginHarness.addr;
import static dev.jcni.plugin.PluginHarness.defaultRoutes;
import static dev.jcni.plugin.PluginHarness.ping;
import static dev.jcni.plugin.PluginHarness.silentOk;
import static dev.jcni.plugin.PluginHarness.withPrev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** podcidrs with one IPv4 and one IPv6 range: both families end to end. */
@Privileged
class PluginDualStackIT extends PluginHarnessBase {
    private Map<String, Object> dualConf() {
        Map<String, Object> c = h.conf();
        c.remove("podcidr");
        c.put("podcidrs", List.of(POD_CIDR, POD_CIDR6));
        return c;
    }

    @Test
    void bothAddressesAndBothDefaultRoutes() {
        Path pod = h.pod("pod1");
        String podNs = h.podName("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", dualConf());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ips = (List<Map<String, Object>>) r.get("ips");
        assertEquals(List.of("10.240.0.2/24", "fd00:10:240::2/64"), ips.stream().map(i -> i.get("address")).toList());
        assertEquals(List.of(GATEWAY, GATEWAY6), ips.stream().map(i -> i.get("gateway")).toList());
        assertEquals(List.of(Map.of("dst", "0.0.0.0/0", "gw", GATEWAY), Map.of("dst", "::/0", "gw", GATEWAY6)), r.get("routes"));

        assertTrue(addr(podNs, "eth0", "10.240.0.2").isPresent(), "IPv4 address on eth0");
        Map<String, Object> v6 = addr(podNs, "eth0", "fd00:10:240::2").orElseThrow(() -> new AssertionError("no IPv6 address"));
        assertEquals(64, ((Number) v6.get("prefixlen")).intValue());
        assertFalse(Boolean.TRUE.equals(v6.get("tentative")), "IPv6 address must skip DAD: " + v6);
        assertEquals(Boolean.TRUE, v6.get("nodad"), "added with nodad: " + v6);

        List<Map<String, Object>> d4 = defaultRoutes(podNs, "-4");
        List<Map<String, Object>> d6 = defaultRoutes(podNs, "-6");
        assertEquals(1, d4.size(), d4.toString());
        assertEquals(GATEWAY, d4.getFirst().get("gateway"));
        assertEquals(1, d6.size(), d6.toString());
        assertEquals(GATEWAY6, d6.getFirst().get("gateway"));
        assertEquals("eth0", d6.getFirst().get("dev"));

        assertTrue(addr(h.node, "cni0", GATEWAY).isPresent(), "bridge holds the IPv4 gateway");
        assertTrue(addr(h.node, "cni0", GATEWAY6).isPresent(), "bridge holds the IPv6 gateway");
        PluginHarness.assertReserved(h.reservationFile("10.240.0.2"));
        PluginHarness.assertReserved(h.reservationFile("fd00:10:240::2"));
    }

    @Test
    void checkPassesAndDelReleasesBothFamilies() {
        Path pod = h.pod("pod1");
        Map<String, Object> r = h.added("c1", pod, "eth0", dualConf());
        silentOk(h.check("c1", pod, "eth0", withPrev(dualConf(), r)));
        silentOk(h.del("c1", pod, "eth0", withPrev(dualConf(), r)));
        PluginHarness.assertReleased(h.reservationFile("10.240.0.2"));
        PluginHarness.assertReleased(h.reservationFile("fd00:10:240::2"));
        assertEquals(List.of(), h.hostVeths());
    }

    @Test
    void ipv6PingBetweenPodsAndToTheGateway() {
        Path p1 = h.pod("pod1");
        Path p2 = h.pod("pod2");
        Map<String, Object> r1 = h.added("c1", p1, "eth0", dualConf());
        Map<String, Object> r2 = h.added("c2", p2, "eth0", dualConf());
        String a1 = PluginHarness.ip(r1, 1);
        String a2 = PluginHarness.ip(r2, 1);
        assertNotEquals(a1, a2);
        assertTrue(ping(h.podName("pod1"), GATEWAY6), "pod1 -> " + GATEWAY6);
        assertTrue(ping(h.podName("pod2"), GATEWAY6), "pod2 -> " + GATEWAY6);
        assertTrue(ping(h.podName("pod1"), a2), "pod1 -> pod2 " + a2);
        assertTrue(ping(h.podName("pod2"), a1), "pod2 -> pod1 " + a1);
        assertTrue(ping(h.podName("pod1"), PluginHarness.ip(r2, 0)), "IPv4 still works beside IPv6");
    }
}
