package dev.jcni.agent.datapath;

import dev.jcni.agent.Backend;
import dev.jcni.agent.ClusterState;
import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.IpNet;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pure: cluster state + this node's connected subnets + backend in, the desired routes out.
 * host-gw needs the peer's node IP on a directly connected subnet; vxlan works across routers;
 * auto picks per peer.
 */
public final class RoutePlanner {
    private RoutePlanner() {}

    public static DatapathPlan plan(String self, ClusterState state, Backend backend, List<IpNet> connected) {
        List<PeerRoute> routes = new ArrayList<>();
        List<VxlanPeer> vxlan = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<NodeInfo> peers = state.nodes().values().stream()
                .filter(n -> !n.name().equals(self))
                .sorted(Comparator.comparing(NodeInfo::name)).toList();
        for (NodeInfo peer : peers) {
            if (peer.ip() == null || peer.podCidrs().isEmpty()) continue; // nothing to route to yet
            List<IpPrefix> own = state.node(self).map(NodeInfo::podCidrs).orElse(List.of());
            if (peer.podCidrs().stream().anyMatch(c -> own.stream().anyMatch(o -> overlaps(o, c)))) {
                // Routing it would replace the route to this node's own pods.
                unreachable.add(peer.name() + " (its pod range " + peer.podCidrs() + " overlaps this node's " + own + ")");
                continue;
            }
            boolean direct = connected.stream().anyMatch(s -> s.contains(peer.ip()));
            boolean useVxlan = switch (backend) {
                case HOST_GW -> false;
                case VXLAN -> true;
                case AUTO -> !direct;
            };
            if (!useVxlan && !direct) {
                unreachable.add(peer.name() + " (" + peer.ip().getHostAddress() + " is not on a directly connected subnet; use --backend vxlan or auto)");
                continue;
            }
            if (useVxlan && !(peer.ip() instanceof Inet4Address)) {
                unreachable.add(peer.name() + " (vxlan needs an IPv4 node address)");
                continue;
            }
            for (IpPrefix cidr : peer.podCidrs()) {
                if (!useVxlan) {
                    if (cidr.isIpv6() != !(peer.ip() instanceof Inet4Address)) {
                        unreachable.add(peer.name() + " " + cidr + " (host-gw needs a node address of the same family)");
                        continue;
                    }
                    routes.add(new PeerRoute(peer.name(), cidr, peer.ip(), false));
                } else {
                    routes.add(new PeerRoute(peer.name(), cidr, Vtep.address(cidr), true));
                    vxlan.add(new VxlanPeer(peer.name(), Vtep.address(cidr), Vtep.mac(peer.ip()), peer.ip()));
                }
            }
        }
        return new DatapathPlan(routes, vxlan, backend == Backend.VXLAN || !vxlan.isEmpty(), unreachable);
    }

    static boolean overlaps(IpPrefix a, IpPrefix b) {
        return a.isIpv6() == b.isIpv6() && (a.contains(b.network()) || b.contains(a.network()));
    }
}
