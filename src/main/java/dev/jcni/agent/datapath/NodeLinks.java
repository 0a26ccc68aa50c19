package dev.jcni.agent.datapath;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static dev.jcni.netlink.codec.Rtnl.AF_INET;
import static dev.jcni.netlink.codec.Rtnl.RT_SCOPE_UNIVERSE;

/** Facts about the node's own links: its underlay interface, its connected subnets, its default source. */
public final class NodeLinks {
    private final Netlink nl;

    public NodeLinks(Netlink nl) { this.nl = nl; }

    /** The link that holds {@code nodeIp}. */
    public Optional<Link> underlay(InetAddress nodeIp) {
        return nl.addrs().list().stream().filter(a -> a.address().ip().equals(nodeIp)).findFirst()
                .map(a -> nl.links().get(a.ifindex()));
    }

    /** Global-scope subnets on links other than the pod bridge and the vxlan device. */
    public List<IpNet> connectedSubnets(String bridge) {
        List<Link> links = nl.links().list();
        return nl.addrs().list().stream()
                .filter(a -> a.scope() == RT_SCOPE_UNIVERSE)
                .filter(a -> links.stream().filter(l -> l.index() == a.ifindex())
                        .noneMatch(l -> l.name().equals(bridge) || l.name().equals(Vtep.DEVICE)))
                .map(Address::address).toList();
    }

    /** The source address of the default route: --node-ip's default, as kubelet picks it. */
    public Optional<InetAddress> defaultSource() {
        for (Route r : nl.routes().listMain(AF_INET)) {
            if (!r.isDefault()) continue;
            if (r.prefSrc() != null) return Optional.of(r.prefSrc());
            if (r.oif() > 0) {
                return nl.addrs().list().stream().filter(a -> a.ifindex() == r.oif() && !a.address().isIpv6())
                        .map(a -> a.address().ip()).findFirst();
            }
        }
        return Optional.empty();
    }
}
