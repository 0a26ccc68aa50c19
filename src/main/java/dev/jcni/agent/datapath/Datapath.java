package dev.jcni.agent.datapath;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;

import java.net.InetAddress;
import java.util.List;

/**
 * Applies a {@link DatapathPlan} to the node's namespace (the agent's own): forwarding sysctls, the
 * vxlan device when needed (and its removal when not), neighbour and FDB entries before the routes
 * that use them, then the routes, then stale neighbour/FDB entries after the routes that used them
 * are gone, and finally the bridge's addresses of pod ranges this node no longer has. Every step
 * runs even when an earlier one failed; failures are collected for the caller.
 */
public final class Datapath {
    public record Applied(int routes, int added, int replaced, int deleted, int staleVxlanEntries) {}

    private final Netlink nl;

    public Datapath(Netlink nl) { this.nl = nl; }

    public Applied apply(DatapathPlan plan, InetAddress nodeIp, Link underlay, List<IpPrefix> ownCidrs, String bridge,
                         List<String> failures) {
        nl.sysctl("net.ipv4.ip_forward", "1");
        if (ownCidrs.stream().anyMatch(IpPrefix::isIpv6)) {
            // Forwarding makes the kernel ignore router advertisements unless accept_ra is 2.
            attempt(failures, "ipv6 sysctls", () -> {
                nl.sysctl("net.ipv6.conf." + underlay.name() + ".accept_ra", "2");
                nl.sysctl("net.ipv6.conf.all.forwarding", "1");
            });
        }
        int vxlanIndex = 0;
        VxlanPeerReconciler peers = new VxlanPeerReconciler(nl);
        VxlanDevice device = new VxlanDevice(nl);
        if (plan.vxlanDevice()) {
            try {
                Link dev = device.ensure(nodeIp, underlay, ownCidrs);
                vxlanIndex = dev.index();
                int idx = vxlanIndex;
                attempt(failures, "vxlan peers", () -> peers.addDesired(idx, plan.vxlanPeers()));
            } catch (RuntimeException e) {
                failures.add("vxlan device: " + e.getMessage());
            }
        }
        RouteReconciler.Outcome o = new RouteReconciler(nl).reconcile(plan.routes(), vxlanIndex, failures);
        int stale = 0;
        if (vxlanIndex > 0) {
            try {
                stale = peers.removeStale(vxlanIndex, plan.vxlanPeers());
            } catch (RuntimeException e) {
                failures.add("stale vxlan entries: " + e.getMessage());
            }
        } else if (!plan.vxlanDevice()) {
            // No peer needs encapsulation any more: the device, its entries and its VTEP address go.
            attempt(failures, "vxlan device removal", device::removeIfPresent);
        }
        attempt(failures, "bridge addresses", () -> new BridgeAddresses(nl).removeOutside(bridge, ownCidrs));
        return new Applied(o.programmed(), o.added(), o.replaced(), o.deleted(), stale);
    }

    private static void attempt(List<String> failures, String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.add(what + ": " + e.getMessage());
        }
    }
}
