package dev.jcni.agent.datapath;

import dev.jcni.netlink.Neighbor;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NotFoundException;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.jcni.netlink.codec.Rtnl.*;

/**
 * The vxlan device's neighbour entries (peer VTEP address → VTEP MAC) and FDB entries (VTEP MAC →
 * peer node IP), made equal to the plan. Entries are added before the routes that need them and
 * removed after (see {@link dev.jcni.agent.datapath.Datapath}).
 */
public final class VxlanPeerReconciler {
    private final Netlink nl;

    public VxlanPeerReconciler(Netlink nl) { this.nl = nl; }

    /** Adds or replaces every entry the plan needs. */
    public void addDesired(int dev, List<VxlanPeer> peers) {
        for (VxlanPeer p : peers) {
            nl.neighs().replace(Neighbor.permanent(dev, p.vtepIp(), p.vtepMac()));
            nl.neighs().replace(Neighbor.fdb(dev, p.vtepMac(), p.underlayIp()));
        }
    }

    /** Removes permanent entries on the device that no peer needs; returns how many. */
    public int removeStale(int dev, List<VxlanPeer> peers) {
        Set<InetAddress> vteps = new HashSet<>();
        Set<String> fdb = new HashSet<>();
        for (VxlanPeer p : peers) {
            vteps.add(p.vtepIp());
            fdb.add(p.vtepMac() + "@" + p.underlayIp().getHostAddress());
        }
        int removed = 0;
        for (int family : new int[]{AF_INET, AF_INET6}) {
            for (Neighbor n : nl.neighs().list(family, dev)) {
                if ((n.state() & NUD_PERMANENT) != 0 && n.ip() != null && !vteps.contains(n.ip())) {
                    removed += delete(n);
                }
            }
        }
        for (Neighbor n : nl.neighs().list(AF_BRIDGE, dev)) {
            if (n.ip() != null && n.mac() != null && !fdb.contains(n.mac() + "@" + n.ip().getHostAddress())) {
                removed += delete(n);
            }
        }
        return removed;
    }

    private int delete(Neighbor n) {
        try {
            nl.neighs().del(n);
            return 1;
        } catch (NotFoundException gone) {
            return 0;
        }
    }
}
