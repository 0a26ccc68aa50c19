package dev.jcni.agent.datapath;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Sysctl;

import java.net.InetAddress;
import java.util.List;

/**
 * Applies a {@link DatapathPlan} to the node's namespace (the agent's own): forwarding sysctls, the
 * vxlan device when needed, neighbour and FDB entries before the routes that use them, then the
 * routes, then stale neighbour/FDB entries after the routes that used them are gone.
 */
public final class Datapath {
    public record Applied(int routes, int added, int replaced, int deleted, int staleVxlanEntries) {}

    private final Netlink nl;

    public Datapath(Netlink nl) { this.nl = nl; }

    public Applied apply(DatapathPlan plan, InetAddress nodeIp, Link underlay, List<IpPrefix> ownCidrs) {
        Sysctl.write("net.ipv4.ip_forward", "1");
        if (ownCidrs.stream().anyMatch(IpPrefix::isIpv6)) Sysctl.write("net.ipv6.conf.all.forwarding", "1");
        int vxlanIndex = 0;
        VxlanPeerReconciler peers = new VxlanPeerReconciler(nl);
        if (plan.vxlanDevice()) {
            Link dev = new VxlanDevice(nl).ensure(nodeIp, underlay, ownCidrs);
            vxlanIndex = dev.index();
            peers.addDesired(vxlanIndex, plan.vxlanPeers());
        }
        RouteReconciler.Outcome o = new RouteReconciler(nl).reconcile(plan.routes(), vxlanIndex);
        int stale = vxlanIndex > 0 ? peers.removeStale(vxlanIndex, plan.vxlanPeers()) : 0;
        return new Applied(o.programmed(), o.added(), o.replaced(), o.deleted(), stale);
    }
}
