package dev.jcni.netlink;

import java.net.InetAddress;

import static dev.jcni.netlink.codec.Rtnl.*;

/**
 * A route ({@code ip route}). {@code dst} null is the default route of {@code family}.
 * {@code oif} 0 lets the kernel pick the device from the gateway.
 */
public record Route(int family, IpNet dst, InetAddress gateway, int oif, int protocol, int table, int scope,
                    InetAddress prefSrc, boolean onlink, int priority, int type) {

    /** {@code DST via GW [dev OIF]}, table main, protocol boot (as {@code ip route add} does). */
    public static Route via(IpNet dst, InetAddress gateway, int oif) {
        int fam = dst != null ? dst.family() : (gateway instanceof java.net.Inet4Address ? AF_INET : AF_INET6);
        return new Route(fam, dst, gateway, oif, RTPROT_BOOT, RT_TABLE_MAIN, RT_SCOPE_UNIVERSE, null, false, 0, RTN_UNICAST);
    }

    /** {@code default via GW dev OIF} */
    public static Route defaultVia(InetAddress gateway, int oif) { return via(null, gateway, oif); }

    /** {@code DST dev OIF scope link} */
    public static Route link(IpNet dst, int oif) {
        return new Route(dst.family(), dst, null, oif, RTPROT_BOOT, RT_TABLE_MAIN, RT_SCOPE_LINK, null, false, 0, RTN_UNICAST);
    }

    public Route withProtocol(int p) { return new Route(family, dst, gateway, oif, p, table, scope, prefSrc, onlink, priority, type); }
    public Route withTable(int t) { return new Route(family, dst, gateway, oif, protocol, t, scope, prefSrc, onlink, priority, type); }
    public Route withScope(int s) { return new Route(family, dst, gateway, oif, protocol, table, s, prefSrc, onlink, priority, type); }
    public Route withSrc(InetAddress s) { return new Route(family, dst, gateway, oif, protocol, table, scope, s, onlink, priority, type); }
    public Route withOnlink(boolean o) { return new Route(family, dst, gateway, oif, protocol, table, scope, prefSrc, o, priority, type); }
    public Route withPriority(int p) { return new Route(family, dst, gateway, oif, protocol, table, scope, prefSrc, onlink, p, type); }

    public boolean isDefault() { return dst == null || dst.prefixLength() == 0; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(isDefault() ? "default" : dst.network().toString());
        if (gateway != null) sb.append(" via ").append(Inet.format(gateway));
        if (oif > 0) sb.append(" dev#").append(oif);
        if (table != RT_TABLE_MAIN) sb.append(" table ").append(table);
        if (protocol != RTPROT_BOOT) sb.append(" proto ").append(protocol);
        if (onlink) sb.append(" onlink");
        return sb.toString();
    }
}
