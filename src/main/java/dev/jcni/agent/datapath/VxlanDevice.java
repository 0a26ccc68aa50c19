package dev.jcni.agent.datapath;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.AlreadyExistsException;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.LinkSpec;
import dev.jcni.netlink.Netlink;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

import static dev.jcni.netlink.codec.Rtnl.RT_SCOPE_UNIVERSE;

/**
 * {@code jcni.vxlan}: VNI 1, UDP 4789, local = node IP, learning off (peers are programmed, never
 * learned), MTU = underlay − 50, the node's VTEP MAC, and its VTEP address (pod range network /32).
 * A device whose parameters drifted (e.g. a new node IP) is recreated.
 */
public final class VxlanDevice {
    private final Netlink nl;

    public VxlanDevice(Netlink nl) { this.nl = nl; }

    public Link ensure(InetAddress nodeIp, Link underlay, List<IpPrefix> ownCidrs) {
        int mtu = underlay.mtu() - Vtep.OVERHEAD;
        Link dev = nl.links().find(Vtep.DEVICE).orElse(null);
        if (dev != null && (dev.vxlan() == null || dev.vxlan().vni() != Vtep.VNI || dev.vxlan().port() != Vtep.PORT
                || dev.vxlan().learning() || !Objects.equals(dev.vxlan().local(), nodeIp))) {
            nl.links().del(Vtep.DEVICE);
            dev = null;
        }
        if (dev == null) {
            try {
                nl.links().add(new LinkSpec.Vxlan(Vtep.DEVICE, Vtep.VNI, nodeIp, Vtep.PORT, false, underlay.index(), mtu));
            } catch (AlreadyExistsException raced) {
                // fine
            }
            dev = nl.links().get(Vtep.DEVICE);
        }
        String mac = Vtep.mac(nodeIp);
        if (!mac.equals(dev.mac())) nl.links().setMac(Vtep.DEVICE, mac);
        if (dev.mtu() != mtu) nl.links().setMtu(Vtep.DEVICE, mtu);
        List<IpNet> wanted = ownCidrs.stream().map(c -> IpNet.host(Vtep.address(c))).toList();
        for (IpNet vtep : wanted) {
            boolean present = nl.addrs().list(Vtep.DEVICE).stream().anyMatch(a -> a.address().equals(vtep));
            if (!present) nl.addrs().add(Vtep.DEVICE, vtep, true);
        }
        // A VTEP address of a pod range this node no longer has would claim another node's range.
        for (var a : nl.addrs().list(Vtep.DEVICE)) {
            if (a.scope() == RT_SCOPE_UNIVERSE && !wanted.contains(a.address())) {
                nl.addrs().del(Vtep.DEVICE, a.address());
            }
        }
        if (!dev.up()) nl.links().setUp(Vtep.DEVICE);
        return nl.links().get(Vtep.DEVICE);
    }

    public void removeIfPresent() {
        nl.links().find(Vtep.DEVICE).ifPresent(l -> nl.links().del(Vtep.DEVICE));
    }
}
