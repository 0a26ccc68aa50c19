package dev.jcni.agent.datapath;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Address;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NotFoundException;

import java.util.List;

import static dev.jcni.netlink.codec.Rtnl.RT_SCOPE_UNIVERSE;

/**
 * When this node's pod range changes, the plugin gives the bridge the new gateway, but the old one
 * (and its connected route) would stay and shadow whichever node gets the old range next. The agent,
 * which knows the current ranges, removes global addresses on the bridge outside them.
 */
public final class BridgeAddresses {
    private final Netlink nl;

    public BridgeAddresses(Netlink nl) { this.nl = nl; }

    public int removeOutside(String bridge, List<IpPrefix> ownCidrs) {
        if (nl.links().find(bridge).isEmpty()) return 0;
        int removed = 0;
        for (Address a : nl.addrs().list(bridge)) {
            if (a.scope() != RT_SCOPE_UNIVERSE) continue;
            IpNet addr = a.address();
            boolean current = ownCidrs.stream().anyMatch(c -> c.contains(addr.ip()) && c.prefixLength() == addr.prefixLength());
            if (current) continue;
            try {
                nl.addrs().del(bridge, addr);
                removed++;
            } catch (NotFoundException gone) {
                // raced
            }
        }
        return removed;
    }
}
