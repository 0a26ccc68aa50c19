package dev.jcni.plugin;

import dev.jcni.netlink.Address;
import dev.jcni.netlink.Inet;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.Netlink;
import dev.jcni.spec.CniException;
import dev.jcni.spec.CniRequest;
import dev.jcni.spec.Interface;
import dev.jcni.spec.IpConfig;
import dev.jcni.spec.Result;
import dev.jcni.spec.Route;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

import static dev.jcni.netlink.codec.Rtnl.AF_UNSPEC;

/**
 * CHECK: is the attachment still as ADD reported it? Missing pieces are named; what later plugins in a
 * chain added (more addresses, more routes) is tolerated.
 */
final class AttachmentCheck {
    private final Netlink host;
    private final Netlink pod;
    private final PluginConfig cfg;
    private final CniRequest req;

    AttachmentCheck(Netlink host, Netlink pod, PluginConfig cfg, CniRequest req) {
        this.host = host;
        this.pod = pod;
        this.cfg = cfg;
        this.req = req;
    }

    void verify(Result prev) {
        Link bridge = host.links().find(cfg.bridge()).orElseThrow(() -> fail("bridge " + cfg.bridge() + " is missing"));
        if (!bridge.up()) throw fail("bridge " + cfg.bridge() + " is down");
        String hostName = InterfaceNames.hostVeth(req.containerId(), req.ifname());
        Link hostVeth = host.links().find(hostName).orElseThrow(() -> fail("host veth " + hostName + " is missing"));
        if (hostVeth.masterIndex() != bridge.index()) throw fail("host veth " + hostName + " is not on " + cfg.bridge());

        int idx = indexOf(prev);
        Interface expected = prev.interfaces().get(idx);
        Link iface = pod.links().find(req.ifname())
                .orElseThrow(() -> fail("interface " + req.ifname() + " is missing from " + req.netns()));
        if (!iface.up()) throw fail("interface " + req.ifname() + " is down");
        if (expected.mac() != null && !expected.mac().equalsIgnoreCase(iface.mac())) {
            throw fail("interface " + req.ifname() + " has MAC " + iface.mac() + ", the ADD result says " + expected.mac());
        }
        List<Address> have = pod.addrs().list(req.ifname());
        for (IpConfig ip : prev.ips()) {
            if (ip.interfaceIndex() != null && ip.interfaceIndex() != idx) continue;
            IpNet want = IpNet.parse(ip.address());
            if (have.stream().noneMatch(a -> a.address().equals(want))) {
                throw fail("address " + ip.address() + " is missing from " + req.ifname());
            }
        }
        List<dev.jcni.netlink.Route> routes = pod.routes().listMain(AF_UNSPEC);
        for (Route r : prev.routes()) {
            IpNet dst = IpNet.parse(r.dst());
            InetAddress gw = r.gw() == null ? null : Inet.parse(r.gw());
            boolean found = routes.stream().anyMatch(k -> sameDst(k, dst) && (gw == null || Objects.equals(gw, k.gateway())));
            if (!found) throw fail("route " + r.dst() + (gw == null ? "" : " via " + r.gw()) + " is missing from " + req.netns());
        }
    }

    /** The prevResult interface that is ours: in our sandbox, with our name. */
    private int indexOf(Result prev) {
        for (int i = 0; i < prev.interfaces().size(); i++) {
            Interface f = prev.interfaces().get(i);
            if (req.ifname().equals(f.name()) && f.sandbox() != null) return i;
        }
        throw fail("prevResult has no interface " + req.ifname() + " with a sandbox");
    }

    private static boolean sameDst(dev.jcni.netlink.Route k, IpNet dst) {
        if (dst.prefixLength() == 0) return k.isDefault() && k.family() == dst.family();
        return k.dst() != null && k.dst().network().equals(dst.network());
    }

    private static CniException fail(String what) {
        return CniException.pluginSpecific(JcniPlugin.CODE_CHECK_FAILED, "CHECK failed: " + what, "");
    }
}
