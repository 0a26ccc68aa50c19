package dev.jcni.plugin;

import dev.jcni.netlink.AlreadyExistsException;
import dev.jcni.netlink.IpNet;
import dev.jcni.netlink.Link;
import dev.jcni.netlink.LinkSpec;
import dev.jcni.netlink.Netlink;
import dev.jcni.netlink.NotFoundException;

import java.net.InetAddress;
import java.util.List;

/**
 * The node's bridge ({@code cni0}): exists, is up, has the MTU, and holds the gateway address of each
 * pod range. Every step is idempotent ("exists" is success), so concurrent ADDs converge on one bridge.
 */
public final class BridgeSetup {
    private final Netlink host;

    public BridgeSetup(Netlink host) { this.host = host; }

    /** Ensures the bridge; returns it and whether this call created it (for rollback). */
    public Ensured ensure(String name, List<PodAddress> pods, int mtu) {
        boolean created = false;
        Link br = host.links().find(name).orElse(null);
        if (br == null) {
            try {
                host.links().add(new LinkSpec.Bridge(name, mtu));
                created = true;
            } catch (AlreadyExistsException raced) {
                // another ADD made it first
            }
            br = host.links().get(name);
        }
        if (!"bridge".equals(br.kind())) {
            throw new IllegalStateException(name + " exists but is a " + br.kind() + ", not a bridge");
        }
        // A fixed MAC keeps the bridge's address from following its lowest port as pods come and go;
        // checked every time, so a bridge left half-made by a killed ADD is finished too.
        var macFrom = pods.stream().filter(p -> !p.isIpv6()).findFirst().or(() -> pods.stream().findFirst());
        if (macFrom.isPresent() && !gatewayMac(macFrom.get().gateway()).equals(br.mac())) {
            host.links().setMac(name, gatewayMac(macFrom.get().gateway()));
        }
        if (br.mtu() != mtu) host.links().setMtu(name, mtu);
        if (!br.up()) host.links().setUp(name);
        for (PodAddress p : pods) {
            IpNet gw = new IpNet(p.gateway(), p.address().prefixLength());
            try {
                host.addrs().add(name, gw, true);
            } catch (AlreadyExistsException ok) {
                // present already
            }
        }
        return new Ensured(host.links().get(name), created);
    }

    /** Undoes a creation, but only while no port uses the bridge (a concurrent ADD may have joined). */
    public void removeIfUnused(String name) {
        try {
            Link br = host.links().get(name);
            boolean hasPorts = host.links().list().stream().anyMatch(l -> l.masterIndex() == br.index());
            if (!hasPorts) host.links().del(name);
        } catch (NotFoundException gone) {
            // nothing to undo
        }
    }

    /** 0a:58 followed by the gateway's last four bytes (the whole IPv4 address), as other CNIs name gateway MACs. */
    static String gatewayMac(InetAddress gw) {
        byte[] a = gw.getAddress();
        int n = a.length;
        return String.format("0a:58:%02x:%02x:%02x:%02x", a[n - 4] & 0xff, a[n - 3] & 0xff, a[n - 2] & 0xff, a[n - 1] & 0xff);
    }

    public record Ensured(Link bridge, boolean created) {}
}
