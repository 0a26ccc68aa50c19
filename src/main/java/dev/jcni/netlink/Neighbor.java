package dev.jcni.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

import static dev.jcni.netlink.codec.Rtnl.*;

/**
 * A neighbour entry ({@code ip neigh}) or, with family AF_BRIDGE, a bridge FDB entry
 * ({@code bridge fdb}): for VXLAN, {@code mac} is the peer VTEP's MAC and {@code ip} its underlay address.
 */
public record Neighbor(int family, int ifindex, InetAddress ip, String mac, int state, int flags) {

    /** {@code ip neigh replace IP lladdr MAC dev IFINDEX nud permanent} */
    public static Neighbor permanent(int ifindex, InetAddress ip, String mac) {
        int fam = ip instanceof Inet4Address ? AF_INET : AF_INET6;
        return new Neighbor(fam, ifindex, ip, mac, NUD_PERMANENT, 0);
    }

    /** {@code bridge fdb append MAC dev IFINDEX dst IP self permanent} (the kernel reports it back as NOARP|PERMANENT) */
    public static Neighbor fdb(int ifindex, String mac, InetAddress dst) {
        return new Neighbor(AF_BRIDGE, ifindex, dst, mac,
                NUD_PERMANENT, NTF_SELF);
    }
}
