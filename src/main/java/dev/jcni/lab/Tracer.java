package dev.jcni.lab;

import dev.jcni.agent.datapath.RouteReconciler;
import dev.jcni.agent.datapath.Vtep;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Neighbor;
import dev.jcni.netlink.NetNs;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.jcni.netlink.codec.Rtnl.AF_BRIDGE;
import static dev.jcni.netlink.codec.Rtnl.AF_INET;

/**
 * {@code jcni lab trace}: the path a packet takes, hop by hop, read from the live kernel state with
 * route lookups ({@code ip route get}) in each namespace it crosses, the veth peers, the vxlan
 * neighbour and FDB entries, and the masquerade rule where one applies.
 */
public final class Tracer {
    private final PrintStream out;
    private int hop;

    public Tracer(PrintStream out) { this.out = out; }

    public int trace(Path labDir, String srcName, String dstName) throws Exception {
        LabState state = LabState.load(labDir).orElse(null);
        if (state == null || state.pods.isEmpty()) {
            out.println("no lab with pods is up in " + labDir);
            return 1;
        }
        LabState.PodRecord src = srcName == null ? state.pods.getFirst() : state.pod(srcName).orElse(null);
        boolean toInternet = ConnectivityMatrix.INTERNET.equals(dstName);
        LabState.PodRecord dst = toInternet ? null : dstName == null ? state.pods.getLast() : state.pod(dstName).orElse(null);
        if (src == null || (!toInternet && dst == null)) {
            out.println("unknown pod; pods are: " + state.pods.stream().map(LabState.PodRecord::name).toList() + " (or 'internet')");
            return 1;
        }
        InetAddress target = toInternet ? LabLayout.INTERNET_HOST : Inet.parse(dst.ip());
        out.printf("trace %s (%s) → %s (%s)%n%n", src.name(), src.ip(), toInternet ? "internet" : dst.name(), Inet.format(target));
        LabState.NodeRecord srcNode = state.node(src.node()).orElseThrow();

        // 1. inside the source pod
        Link podIf;
        try (Netlink pod = Netlink.openIn(NetNs.pathOf(src.netns()))) {
            Route r = pod.routes().get(target).orElseThrow(() -> new IllegalStateException("no route in " + src.name()));
            podIf = pod.links().get(r.oif());
            hop(src.name(), "pod " + src.netns(), "leaves " + podIf.name() + " (" + src.ip() + ", mtu " + podIf.mtu() + ") — "
                    + describe(r, pod));
        }
        // 2. the veth pair and the bridge on the source node
        try (Netlink node = Netlink.openIn(NetNs.pathOf(srcNode.netns()))) {
            Link hostVeth = node.links().get(podIf.parentIndex());
            Link bridge = node.links().get(hostVeth.masterIndex());
            hop(srcNode.name(), "veth", "the pair's host end " + hostVeth.name() + " (hairpin " + hostVeth.hairpin() + ")");
            hop(srcNode.name(), "bridge", bridge.name() + " " + gatewayOf(node, bridge) + " — the pod's gateway; the node routes from here");
            Route r = node.routes().get(target).orElseThrow(() -> new IllegalStateException("no route on " + srcNode.name()));
            Link out1 = node.links().get(r.oif());
            if (out1.name().equals(bridge.name())) {
                hop(srcNode.name(), "bridge", "destination is on this node's bridge: delivered to its veth");
                return arrive(state, dst);
            }
            hop(srcNode.name(), "node route", describe(r, node) + routeKind(tableEntry(node, target, r), out1));
            if (toInternet) {
                hop(srcNode.name(), "netfilter", masquerade(srcNode));
            }
            if (Vtep.DEVICE.equals(out1.name())) {
                Optional<Neighbor> n = node.neighs().list(AF_INET, out1.index()).stream().filter(x -> r.gateway().equals(x.ip())).findFirst();
                String mac = n.map(Neighbor::mac).orElse("?");
                Optional<Neighbor> f = node.neighs().list(AF_BRIDGE, out1.index()).stream().filter(x -> mac.equals(x.mac()) && x.ip() != null).findFirst();
                hop(srcNode.name(), "vxlan", "VTEP " + Inet.format(r.gateway()) + " is " + mac + " (neighbour entry); FDB sends "
                        + mac + " to " + f.map(x -> Inet.format(x.ip())).orElse("?") + " — encapsulated in UDP 4789, VNI "
                        + Vtep.VNI + ", outer source " + srcNode.ip());
                InetAddress underlayDst = f.map(Neighbor::ip).orElse(null);
                if (underlayDst != null) {
                    Route u = node.routes().get(underlayDst).orElseThrow();
                    hop(srcNode.name(), "underlay", "outer packet " + describe(u, node));
                }
            }
        }
        // 3. across the underlay
        if (toInternet) {
            hop("router", state.spec.prefix() + "-rt", "forwards to " + Inet.format(LabLayout.INTERNET_HOST)
                    + " (the internet host answers the node's address; it has no route to 10.240.0.0/16)");
            hop("internet", state.spec.prefix() + "-inet", "reply goes back to " + srcNode.ip() + ", un-NATed there to " + src.ip());
            return 0;
        }
        LabState.NodeRecord dstNode = state.node(dst.node()).orElseThrow();
        LabLayout layout = new LabLayout(state.spec);
        boolean sameSubnet = layout.nodes().stream().filter(n -> n.name().equals(srcNode.name()) || n.name().equals(dstNode.name()))
                .map(LabLayout.Node::subnet).distinct().count() == 1;
        hop("underlay", sameSubnet ? layout.switchNs(1) : layout.routerNs(),
                sameSubnet ? "the switch's bridge br0 carries it to " + dstNode.name() + " (" + dstNode.ip() + ")"
                        : "the router forwards between the two underlay subnets to " + dstNode.ip());
        // 4. the destination node
        try (Netlink node = Netlink.openIn(NetNs.pathOf(dstNode.netns()))) {
            Route r = node.routes().get(target).orElseThrow();
            hop(dstNode.name(), "node route", describe(r, node) + " — its own pod range, on its bridge");
        }
        return arrive(state, dst);
    }

    private int arrive(LabState state, LabState.PodRecord dst) throws Exception {
        LabState.NodeRecord n = state.node(dst.node()).orElseThrow();
        try (Netlink pod = Netlink.openIn(NetNs.pathOf(dst.netns())); Netlink node = Netlink.openIn(NetNs.pathOf(n.netns()))) {
            Link eth0 = pod.links().get("eth0");
            Link hostVeth = node.links().get(eth0.parentIndex());
            hop(n.name(), "bridge → veth", "the bridge forwards to port " + hostVeth.name() + " (learned MAC " + dst.mac() + ")");
            hop(dst.name(), "pod " + dst.netns(), "arrives on eth0 " + dst.ip());
        }
        out.println("\n✓ path complete");
        return 0;
    }

    private void hop(String where, String what, String detail) {
        out.printf("%2d. %-9s %-14s %s%n", ++hop, where, what, detail);
    }

    private static String describe(Route r, Netlink nl) {
        String dev = r.oif() > 0 ? nl.links().get(r.oif()).name() : "?";
        String dst = r.dst() == null || r.dst().prefixLength() == 32 ? "" : r.dst().network() + " ";
        return dst + (r.gateway() != null ? "via " + Inet.format(r.gateway()) + " " : "") + "dev " + dev
                + (r.prefSrc() != null ? " src " + Inet.format(r.prefSrc()) : "");
    }

    /** The main-table route a lookup used (a lookup's answer does not carry the route's protocol). */
    private static Route tableEntry(Netlink nl, InetAddress target, Route looked) {
        return nl.routes().listMain(AF_INET).stream()
                .filter(x -> x.dst() == null || x.dst().contains(target))
                .filter(x -> java.util.Objects.equals(x.gateway(), looked.gateway()))
                .max(java.util.Comparator.comparingInt(x -> x.dst() == null ? 0 : x.dst().prefixLength()))
                .orElse(looked);
    }

    private static String routeKind(Route r, Link dev) {
        if (Vtep.DEVICE.equals(dev.name())) return " (vxlan backend, onlink)";
        if (r.protocol() == RouteReconciler.PROTOCOL) return " (host-gw: the peer node is the gateway; proto " + RouteReconciler.PROTOCOL + ", owned by the agent)";
        return " (the node's default route)";
    }

    private static String gatewayOf(Netlink nl, Link bridge) {
        return nl.addrs().list(bridge.name()).stream().filter(a -> !a.address().isIpv6()).findFirst()
                .map(a -> a.address().toString()).orElse("");
    }

    /** The masquerade verdict, read from the node's own nftables table. */
    private static String masquerade(LabState.NodeRecord node) {
        try {
            Process p = new ProcessBuilder(SelfLauncher.path().toString(), "--netns", NetNs.pathOf(node.netns()).toString(),
                    "exec", "--", "nft", "list", "chain", "inet", "jcni", "postrouting").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Optional<String> rule = text.lines().map(String::trim).filter(l -> l.contains("masquerade") && l.contains("saddr")).findFirst();
            return rule.map(l -> "masquerade applies (destination outside the cluster range): `" + l + "` — source becomes " + node.ip())
                    .orElse("no masquerade rule in table inet jcni: the reply would have nowhere to go");
        } catch (IOException | InterruptedException e) {
            return "netfilter state unavailable: " + e.getMessage();
        }
    }

}
