package dev.jcni.plugin;

import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.spec.Route;

import java.util.List;

/** Inside the pod's namespace: the interface comes up, gets its addresses (no DAD) and its routes. */
public final class PodInterfaceSetup {
    private final Netlink pod;

    public PodInterfaceSetup(Netlink pod) { this.pod = pod; }

    public Link configure(String ifname, List<PodAddress> addresses) {
        pod.links().setUp(ifname);
        for (PodAddress a : addresses) pod.addrs().add(ifname, a.address(), true);
        return pod.links().get(ifname);
    }

    public void addRoutes(Link iface, List<Route> routes) {
        for (Route r : routes) {
            IpNet dst = IpNet.parse(r.dst());
            dev.jcni.netlink.Route nr = r.gw() == null
                    ? dev.jcni.netlink.Route.link(dst, iface.index())
                    : dev.jcni.netlink.Route.via(dst.prefixLength() == 0 ? null : dst, Inet.parse(r.gw()), iface.index());
            if (dst.prefixLength() == 0 && r.gw() == null) {
                throw new IllegalArgumentException("default route without a gateway: " + r);
            }
            pod.routes().replace(nr);
        }
    }
}
