package dev.jcni.agent.datapath;

import dev.jcni.agent.Backend;
import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.LinkSpec;
import dev.jcni.netlink.Netlink;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The datapath against a real kernel, in a node namespace of the test's own. */
@Privileged
class DatapathKernelTest {
    static NodeInfo node(String name, String ip, String cidr) {
        return new NodeInfo(name, Inet.parse(ip), List.of(IpPrefix.parse(cidr)));
    }

    @Test
    void vxlanComesAndGoesAndAnOwnRangeChangeLeavesNoOldAddresses() {
        String rootForward = dev.jcni.netlink.Sysctl.read("net.ipv4.ip_forward");
        try (TestNamespaces ns = new TestNamespaces()) {
            ns.create("node");
            String n = ns.fullName("node");
            try (Netlink nl = Netlink.openIn(ns.path("node"))) {
                nl.links().add(new LinkSpec.Bridge("eth0", 1500)); // the underlay stand-in
                nl.addrs().add("eth0", IpNet.parse("10.10.10.11/24"));
                nl.links().setUp("eth0");
                nl.links().add(new LinkSpec.Bridge("cni0", 1450)); // as the plugin makes it
                nl.addrs().add("cni0", IpNet.parse("10.240.0.1/24"));
                Link underlay = nl.links().get("eth0");
                Datapath dp = new Datapath(nl);
                List<String> failures = new ArrayList<>();

                ClusterState two = ClusterState.of(List.of(node("n1", "10.10.10.11", "10.240.0.0/24"), node("n2", "10.10.20.12", "10.240.1.0/24")));
                List<IpNet> connected = List.of(IpNet.parse("10.10.10.11/24"));
                DatapathPlan vx = RoutePlanner.plan("n1", two, Backend.AUTO, connected);
                dp.apply(vx, Inet.parse("10.10.10.11"), underlay, List.of(IpPrefix.parse("10.240.0.0/24")), "cni0", failures);
                assertEquals(List.of(), failures);
                assertEquals("1", dev.jcni.netlink.Sysctl.readIn(ns.path("node"), "net.ipv4.ip_forward"), "forwarding on in the node");
                assertEquals(rootForward, dev.jcni.netlink.Sysctl.read("net.ipv4.ip_forward"), "and only there");
                assertTrue(Sh.ip(n, "-d", "link", "show", "jcni.vxlan").out().contains("vxlan id 1"));
                assertTrue(Sh.ip(n, "route", "show", "proto", "98").out().contains("10.240.1.0/24 via 10.240.1.0 dev jcni.vxlan"));
                assertTrue(Sh.ip(n, "neigh", "show", "dev", "jcni.vxlan").out().contains("0e:6a:0a:0a:14:0c"));
                assertTrue(Sh.run("bridge", "-n", n, "fdb", "show", "dev", "jcni.vxlan").out().contains("dst 10.10.20.12"));

                // The vxlan peer leaves: routes, entries and the device itself go.
                ClusterState one = ClusterState.of(List.of(node("n1", "10.10.10.11", "10.240.0.0/24")));
                dp.apply(RoutePlanner.plan("n1", one, Backend.AUTO, connected), Inet.parse("10.10.10.11"), underlay,
                        List.of(IpPrefix.parse("10.240.0.0/24")), "cni0", failures);
                assertEquals(List.of(), failures);
                assertEquals("", Sh.ip(n, "route", "show", "proto", "98").out().trim());
                assertTrue(nl.links().find("jcni.vxlan").isEmpty(), "no vxlan device without vxlan peers");

                // This node's own range changes: the old gateway on the bridge goes (the plugin adds the new one).
                nl.addrs().add("cni0", IpNet.parse("10.240.5.1/24"));
                dp.apply(RoutePlanner.plan("n1", one, Backend.VXLAN, connected), Inet.parse("10.10.10.11"), underlay,
                        List.of(IpPrefix.parse("10.240.5.0/24")), "cni0", failures);
                assertEquals(List.of(), failures);
                String cni0 = Sh.ip(n, "-4", "addr", "show", "cni0").out();
                assertFalse(cni0.contains("10.240.0.1"), cni0);
                assertTrue(cni0.contains("10.240.5.1/24"), cni0);
                String vtep = Sh.ip(n, "-4", "addr", "show", "jcni.vxlan").out();
                assertTrue(vtep.contains("10.240.5.0/32") && !vtep.contains("10.240.0.0/32"), vtep);
            }
        }
    }
}
