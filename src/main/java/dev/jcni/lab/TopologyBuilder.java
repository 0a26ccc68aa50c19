package dev.jcni.lab;

import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.LinkSpec;
import dev.jcni.netlink.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NsFd;
import dev.jcni.netlink.Route;
import dev.jcni.netlink.Sysctl;

/**
 * Builds the lab's wires with the netlink facade: one "switch" namespace (a bridge) per underlay
 * subnet, the nodes plugged into it, a router between the subnets and the "internet" host.
 * Namespaces stand in for machines; the root namespace is never touched.
 */
public final class TopologyBuilder {
    private final LabLayout layout;

    public TopologyBuilder(LabLayout layout) { this.layout = layout; }

    public void switches() {
        for (int s : layout.subnetIds()) {
            String sw = layout.switchNs(s);
            NetNs.create(sw);
            try (Netlink nl = Netlink.openIn(NetNs.pathOf(sw))) {
                nl.links().setUp("lo");
                nl.links().add(new LinkSpec.Bridge("br0", 1500));
                nl.links().setUp("br0");
            }
        }
    }

    public void router() {
        String rt = layout.routerNs();
        String inet = layout.internetNs();
        NetNs.create(rt);
        NetNs.create(inet);
        try (Netlink r = Netlink.openIn(NetNs.pathOf(rt))) {
            r.links().setUp("lo");
            for (int s : layout.subnetIds()) {
                String leg = "eth-s" + s;
                plug(layout.switchNs(s), "rt", rt, leg);
                IpNet net = LabLayout.underlay(s);
                r.addrs().add(leg, new IpNet(LabLayout.routerOn(s), net.prefixLength()));
                r.links().setUp(leg);
            }
            try (NsFd inetFd = NetNs.open(NetNs.pathOf(inet))) {
                r.links().add(new LinkSpec.Veth("eth-inet", "eth0", 1500, inetFd));
            }
            r.addrs().add("eth-inet", new IpNet(LabLayout.ROUTER_INTERNET, 24));
            r.links().setUp("eth-inet");
        }
        Sysctl.writeIn(NetNs.pathOf(rt), "net.ipv4.ip_forward", "1");
        try (Netlink i = Netlink.openIn(NetNs.pathOf(inet))) {
            i.links().setUp("lo");
            i.addrs().add("eth0", new IpNet(LabLayout.INTERNET_HOST, 24));
            i.links().setUp("eth0");
            // The internet knows the nodes' public side only: pods reach it through masquerade or not at all.
            i.routes().add(Route.via(IpNet.parse("10.10.0.0/16"), LabLayout.ROUTER_INTERNET, 0));
        }
    }

    public void node(LabLayout.Node n) {
        NetNs.create(n.netns());
        plug(layout.switchNs(n.subnet()), n.name(), n.netns(), "eth0");
        try (Netlink nl = Netlink.openIn(NetNs.pathOf(n.netns()))) {
            nl.links().setUp("lo");
            nl.addrs().add("eth0", n.address());
            nl.links().setUp("eth0");
            nl.routes().add(Route.defaultVia(n.router(), nl.links().get("eth0").index()));
        }
    }

    /** A veth from the switch's bridge (port {@code port}) to {@code ifname} inside {@code ns}. */
    private static void plug(String switchNs, String port, String ns, String ifname) {
        try (Netlink sw = Netlink.openIn(NetNs.pathOf(switchNs)); NsFd target = NetNs.open(NetNs.pathOf(ns))) {
            sw.links().add(new LinkSpec.Veth(port, ifname, 1500, target));
            sw.links().setMaster(port, "br0");
            sw.links().setUp(port);
        }
    }
}
