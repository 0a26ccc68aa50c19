package dev.jcni.agent.datapath;

import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NotFoundException;
import dev.jcni.netlink.Route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.jcni.netlink.codec.Rtnl.AF_UNSPEC;
import static dev.jcni.netlink.codec.Rtnl.RT_TABLE_MAIN;

/**
 * Makes the main table's jcni-owned routes (protocol {@link #PROTOCOL}) equal the plan: adds what is
 * missing, replaces what differs, deletes what no peer needs any more. Routes of any other protocol
 * are never touched.
 */
public final class RouteReconciler {
    /** jcni's route protocol number ({@code ip route show proto 98}); unassigned in iproute2's rt_protos. */
    public static final int PROTOCOL = 98;

    public record Outcome(int programmed, int added, int replaced, int deleted) {}

    private final Netlink nl;

    public RouteReconciler(Netlink nl) { this.nl = nl; }

    /** Applies every route on its own; each refusal is added to {@code failures} and the rest goes on. */
    public Outcome reconcile(List<PeerRoute> plan, int vxlanIndex, List<String> failures) {
        Map<IpNet, Route> desired = new HashMap<>();
        for (PeerRoute p : plan) {
            IpNet dst = new IpNet(p.dst().network(), p.dst().prefixLength());
            Route r = Route.via(dst, p.via(), p.vxlan() ? vxlanIndex : 0).withProtocol(PROTOCOL).withOnlink(p.vxlan());
            desired.put(dst, r);
        }
        Map<IpNet, Route> current = new HashMap<>();
        for (Route r : owned()) current.put(r.dst().network(), r);
        int added = 0, replaced = 0, deleted = 0;
        for (Map.Entry<IpNet, Route> e : desired.entrySet()) {
            Route have = current.get(e.getKey());
            if (have != null && same(have, e.getValue())) continue;
            try {
                nl.routes().replace(e.getValue());
                if (have == null) added++; else replaced++;
            } catch (RuntimeException ex) {
                failures.add("route " + e.getValue() + ": " + ex.getMessage());
            }
        }
        for (Map.Entry<IpNet, Route> e : current.entrySet()) {
            if (desired.containsKey(e.getKey())) continue;
            try {
                nl.routes().del(e.getValue());
                deleted++;
            } catch (NotFoundException gone) {
                // already gone
            } catch (RuntimeException ex) {
                failures.add("withdraw " + e.getValue() + ": " + ex.getMessage());
            }
        }
        return new Outcome(desired.size(), added, replaced, deleted);
    }

    /** The routes jcni owns in the main table. */
    public List<Route> owned() {
        List<Route> out = new ArrayList<>();
        for (Route r : nl.routes().list(AF_UNSPEC)) {
            if (r.protocol() == PROTOCOL && r.table() == RT_TABLE_MAIN && r.dst() != null) out.add(r);
        }
        return out;
    }

    private static boolean same(Route have, Route want) {
        return Objects.equals(have.gateway(), want.gateway()) && have.onlink() == want.onlink()
                && (want.oif() == 0 || have.oif() == want.oif());
    }
}
