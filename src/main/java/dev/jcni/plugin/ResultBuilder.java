package dev.jcni.plugin;

import dev.jcni.netlink.Inet;
import dev.jcni.netlink.Link;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Dns;
import dev.jcni.spec.Interface;
import dev.jcni.spec.IpConfig;
import dev.jcni.spec.Result;
import dev.jcni.spec.Route;

import java.util.ArrayList;
import java.util.List;

/** The ADD result: bridge, host veth and pod interface, the pod's addresses, routes and DNS. */
final class ResultBuilder {
    private ResultBuilder() {}

    /** The IPAM plugin's routes if it chose any, else a default route per family via the gateway. */
    static List<Route> routes(Lease lease) {
        if (!lease.routes().isEmpty()) {
            return lease.routes().stream().map(r -> r.gw() != null ? r : withGateway(r, lease)).toList();
        }
        return lease.addresses().stream()
                .map(a -> new Route(a.isIpv6() ? "::/0" : "0.0.0.0/0", Inet.format(a.gateway())))
                .toList();
    }

    private static Route withGateway(Route r, Lease lease) {
        boolean v6 = r.dst().indexOf(':') >= 0;
        return lease.addresses().stream().filter(a -> a.isIpv6() == v6).findFirst()
                .map(a -> new Route(r.dst(), Inet.format(a.gateway()), r.mtu(), r.advmss(), r.priority(), r.table(), r.scope()))
                .orElse(r);
    }

    static Result build(CniRequest req, PluginConfig cfg, Lease lease, List<Route> routes,
                        Link bridge, Link hostVeth, Link pod) {
        // In a chain, earlier plugins' results are kept and ours appended (the spec forbids dropping them).
        Result prev = req.conf().prevResult();
        List<Interface> ifaces = new ArrayList<>(prev == null ? List.of() : prev.interfaces());
        List<IpConfig> ips = new ArrayList<>(prev == null ? List.of() : prev.ips());
        List<Route> allRoutes = new ArrayList<>(prev == null ? List.of() : prev.routes());
        int base = ifaces.size();
        ifaces.add(new Interface(bridge.name(), bridge.mac(), bridge.mtu(), null, null, null));
        ifaces.add(new Interface(hostVeth.name(), hostVeth.mac(), hostVeth.mtu(), null, null, null));
        ifaces.add(new Interface(pod.name(), pod.mac(), pod.mtu(), req.netns(), null, null));
        for (PodAddress a : lease.addresses()) {
            ips.add(new IpConfig(a.address().toString(), Inet.format(a.gateway()), base + 2));
        }
        allRoutes.addAll(routes);
        Dns dns = !cfg.dns().isEmpty() ? cfg.dns()
                : lease.dns() != null && !lease.dns().isEmpty() ? lease.dns()
                : prev != null && prev.dns() != null ? prev.dns() : Dns.EMPTY;
        return new Result(req.cniVersion(), ifaces, ips, allRoutes, dns);
    }
}
