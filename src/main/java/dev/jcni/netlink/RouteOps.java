package dev.jcni.netlink;

import dev.jcni.netlink.codec.Attributes;
import dev.jcni.netlink.codec.Message;
import dev.jcni.netlink.codec.MessageWriter;
import dev.jcni.netlink.codec.NetlinkCodecException;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import static dev.jcni.netlink.codec.Rtnl.*;

/** Routes, named after the iproute2 commands they equal. Add and replace differ only in flags. */
public final class RouteOps {
    private final NetlinkSocket sock;

    RouteOps(NetlinkSocket sock) { this.sock = sock; }

    /** {@code ip route add …}: fails with {@link AlreadyExistsException} if present. */
    public void add(Route r) { sock.execute(request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r), "route add", r.toString()); }

    /** {@code ip route replace …} */
    public void replace(Route r) { sock.execute(request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r), "route replace", r.toString()); }

    /** {@code ip route del …} */
    public void del(Route r) { sock.execute(request(RTM_DELROUTE, 0, r), "route del", r.toString()); }

    /** {@code ip [-6] route show table all}, filtered to one family (AF_INET / AF_INET6, or AF_UNSPEC for both). */
    public List<Route> list(int family) {
        MessageWriter w = new MessageWriter(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP)
                .rtmsg(family, 0, 0, 0, 0, 0, 0, 0, 0);
        return sock.dump(w, "route list").stream().filter(m -> m.type() == RTM_NEWROUTE).map(RouteOps::parse).toList();
    }

    /** The routes of the main table, as {@code ip route show} prints them. */
    public List<Route> listMain(int family) {
        return list(family).stream().filter(r -> r.table() == RT_TABLE_MAIN).toList();
    }

    /** {@code ip route get ADDR}: the route the kernel would use. */
    public Optional<Route> get(InetAddress dst) {
        IpNet d = IpNet.host(dst);
        MessageWriter w = new MessageWriter(RTM_GETROUTE, NLM_F_REQUEST)
                .rtmsg(d.family(), d.prefixLength(), 0, 0, 0, 0, 0, 0, 0).attr(RTA_DST, dst.getAddress());
        try {
            return sock.query(w, "route get", Inet.format(dst)).stream().filter(m -> m.type() == RTM_NEWROUTE)
                    .findFirst().map(RouteOps::parse);
        } catch (KernelException e) {
            if (e.errno() == 101 || e.errno() == 113) return Optional.empty(); // ENETUNREACH, EHOSTUNREACH
            throw e;
        }
    }

    public static MessageWriter request(int type, int extraFlags, Route r) {
        int dstLen = r.dst() == null ? 0 : r.dst().prefixLength();
        int table = r.table() < 256 ? r.table() : RT_TABLE_UNSPEC;
        MessageWriter w = new MessageWriter(type, NLM_F_REQUEST | NLM_F_ACK | extraFlags)
                .rtmsg(r.family(), dstLen, 0, 0, table, r.protocol(), r.scope(), r.type(), r.onlink() ? RTNH_F_ONLINK : 0);
        if (r.dst() != null && dstLen > 0) w.attr(RTA_DST, r.dst().network().ip().getAddress());
        if (r.prefSrc() != null) w.attr(RTA_PREFSRC, r.prefSrc().getAddress());
        if (r.gateway() != null) w.attr(RTA_GATEWAY, r.gateway().getAddress());
        if (r.oif() > 0) w.attrU32(RTA_OIF, r.oif());
        if (r.priority() > 0) w.attrU32(RTA_PRIORITY, r.priority());
        if (r.table() >= 256) w.attrU32(RTA_TABLE, r.table());
        return w;
    }

    public static Route parse(Message m) {
        ByteBuffer b = m.view();
        if (b.remaining() < RTMSG_LEN) throw new NetlinkCodecException.Truncated("rtmsg of " + b.remaining() + " bytes");
        int family = Byte.toUnsignedInt(b.get(0));
        int dstLen = Byte.toUnsignedInt(b.get(1));
        int tableHdr = Byte.toUnsignedInt(b.get(4));
        int protocol = Byte.toUnsignedInt(b.get(5));
        int scope = Byte.toUnsignedInt(b.get(6));
        int type = Byte.toUnsignedInt(b.get(7));
        int flags = b.getInt(8);
        Attributes a = Attributes.after(b, RTMSG_LEN);
        IpNet dst = a.address(RTA_DST).map(ip -> new IpNet(ip, dstLen)).orElse(null);
        return new Route(family, dst, a.address(RTA_GATEWAY).orElse(null), a.u32(RTA_OIF).orElse(0), protocol,
                a.u32(RTA_TABLE).orElse(tableHdr), scope, a.address(RTA_PREFSRC).orElse(null),
                (flags & RTNH_F_ONLINK) != 0, a.u32(RTA_PRIORITY).orElse(0), type);
    }
}
