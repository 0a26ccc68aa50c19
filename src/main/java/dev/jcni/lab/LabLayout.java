package dev.jcni.lab;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's names and addresses, all derived from the spec (pure, so status/trace/down can recompute
 * them): node i is {@code <prefix>-n<i>} on 10.10.10.(9+i) (or 10.10.20.x on the second subnet) with
 * pod range 10.240.(i-1).0/24; the router holds .1 on each underlay and 203.0.113.1 towards the
 * "internet" host 203.0.113.10, which has no route back to the pod ranges.
 */
public record LabLayout(LabSpec spec) {
    /** The largest lab {@link LabSpec} allows; {@code down} without a lab.json removes names up to these. */
    public static final int MAX_NODES = 50, MAX_PODS = 50;
    public static final IpPrefix CLUSTER_CIDR = IpPrefix.parse("10.240.0.0/16");
    public static final InetAddress INTERNET_HOST = Inet.parse("203.0.113.10");
    public static final IpNet INTERNET_NET = IpNet.parse("203.0.113.0/24");
    public static final InetAddress ROUTER_INTERNET = Inet.parse("203.0.113.1");

    public record Node(int index, String name, String netns, int subnet, IpNet address, InetAddress router, IpPrefix podCidr) {}

    public record Pod(String name, Node node, String netns, String containerId) {}

    public String ns(String suffix) { return spec.prefix() + "-" + suffix; }

    public String switchNs(int subnet) { return ns(subnet == 1 ? "sw" : "sw" + subnet); }

    public String routerNs() { return ns("rt"); }

    public String internetNs() { return ns("inet"); }

    public static IpNet underlay(int subnet) { return IpNet.parse(subnet == 1 ? "10.10.10.0/24" : "10.10.20.0/24"); }

    public static InetAddress routerOn(int subnet) { return Inet.parse(subnet == 1 ? "10.10.10.1" : "10.10.20.1"); }

    public List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        for (int i = 1; i <= spec.nodes(); i++) {
            int subnet = spec.subnets() == 2 && i % 2 == 0 ? 2 : 1;
            String base = subnet == 1 ? "10.10.10." : "10.10.20.";
            out.add(new Node(i, "n" + i, ns("n" + i), subnet, IpNet.parse(base + (9 + i) + "/24"), routerOn(subnet),
                    IpPrefix.parse("10.240." + (i - 1) + ".0/24")));
        }
        return out;
    }

    public List<Pod> pods() {
        List<Pod> out = new ArrayList<>();
        for (Node n : nodes()) {
            for (int j = 1; j <= spec.podsPerNode(); j++) {
                String name = n.name() + "-pod" + j;
                out.add(new Pod(name, n, ns(name), spec.prefix() + "-" + name));
            }
        }
        return out;
    }

    public List<Integer> subnetIds() { return spec.subnets() == 2 && spec.nodes() > 1 ? List.of(1, 2) : List.of(1); }

    /** Every namespace the lab may have made, for teardown. */
    public List<String> allNamespaces() {
        List<String> all = new ArrayList<>();
        for (Pod p : pods()) all.add(p.netns());
        for (Node n : nodes()) all.add(n.netns());
        all.add(routerNs());
        all.add(internetNs());
        all.add(switchNs(1));
        all.add(switchNs(2));
        return all;
    }
}
