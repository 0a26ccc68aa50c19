package dev.jcni.plugin;

import dev.jcni.netlink.DumpInterruptedException;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.Route;

import static dev.jcni.netlink.codec.Rtnl.AF_INET;
import static dev.jcni.netlink.codec.Rtnl.AF_INET6;

/** The MTU pods get when the config names none: that of the node's default-route interface, else 1500. */
final class NodeMtu {
    static final int FALLBACK = 1500;

    private NodeMtu() {}

    static int of(Netlink host) {
        for (int attempt = 0; ; attempt++) {
            try {
                return lookup(host);
            } catch (DumpInterruptedException e) {
                if (attempt >= 3) throw e; // links change as concurrent ADDs run; a dump may need a retry
            }
        }
    }

    private static int lookup(Netlink host) {
        for (int family : new int[]{AF_INET, AF_INET6}) {
            for (Route r : host.routes().listMain(family)) {
                if (r.isDefault() && r.oif() > 0) return host.links().get(r.oif()).mtu();
            }
        }
        return FALLBACK;
    }
}
