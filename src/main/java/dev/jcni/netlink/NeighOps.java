package dev.jcni.netlink;

import dev.jcni.netlink.codec.Attributes;
import dev.jcni.netlink.codec.Message;
import dev.jcni.netlink.codec.MessageWriter;
import dev.jcni.netlink.codec.NetlinkCodecException;

import java.nio.ByteBuffer;
import java.util.List;

import static dev.jcni.netlink.codec.Rtnl.*;

/** Neighbour and bridge FDB entries ({@code ip neigh}, {@code bridge fdb}). */
public final class NeighOps {
    private final NetlinkSocket sock;

    NeighOps(NetlinkSocket sock) { this.sock = sock; }

    /** {@code ip neigh add …} / {@code bridge fdb add …} */
    public void add(Neighbor n) { sock.execute(request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, n), "neigh add", describe(n)); }

    /** {@code ip neigh replace …} / {@code bridge fdb replace …} */
    public void replace(Neighbor n) { sock.execute(request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, n), "neigh replace", describe(n)); }

    /** {@code bridge fdb append …}: another destination for the same MAC. */
    public void append(Neighbor n) { sock.execute(request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, n), "fdb append", describe(n)); }

    /** {@code ip neigh del …} / {@code bridge fdb del …} */
    public void del(Neighbor n) { sock.execute(request(RTM_DELNEIGH, 0, n), "neigh del", describe(n)); }

    /** {@code ip neigh show} (AF_INET/AF_INET6) or {@code bridge fdb show} (AF_BRIDGE), for one link. */
    public List<Neighbor> list(int family, int ifindex) {
        // Only the bridge FDB dump filters on the header's ifindex; IP neighbour dumps want it zero.
        int headerIndex = family == AF_BRIDGE ? ifindex : 0;
        MessageWriter w = new MessageWriter(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP).ndmsg(family, headerIndex, 0, 0, 0);
        return sock.dump(w, "neigh list").stream().filter(m -> m.type() == RTM_NEWNEIGH).map(NeighOps::parse)
                .filter(n -> ifindex == 0 || n.ifindex() == ifindex).toList();
    }

    public static MessageWriter request(int type, int extraFlags, Neighbor n) {
        MessageWriter w = new MessageWriter(type, NLM_F_REQUEST | NLM_F_ACK | extraFlags)
                .ndmsg(n.family(), n.ifindex(), n.state(), n.flags(), 0);
        if (n.ip() != null) w.attr(NDA_DST, n.ip().getAddress());
        if (n.mac() != null) w.attr(NDA_LLADDR, Mac.parse(n.mac()));
        return w;
    }

    public static Neighbor parse(Message m) {
        ByteBuffer b = m.view();
        if (b.remaining() < NDMSG_LEN) throw new NetlinkCodecException.Truncated("ndmsg of " + b.remaining() + " bytes");
        int family = Byte.toUnsignedInt(b.get(0));
        int ifindex = b.getInt(4);
        int state = Short.toUnsignedInt(b.getShort(8));
        int flags = Byte.toUnsignedInt(b.get(10));
        Attributes a = Attributes.after(b, NDMSG_LEN);
        return new Neighbor(family, ifindex, a.address(NDA_DST).orElse(null), a.bytes(NDA_LLADDR).map(Mac::format).orElse(null),
                state, flags);
    }

    private static String describe(Neighbor n) {
        return (n.ip() == null ? "" : Inet.format(n.ip()) + " ") + "lladdr " + n.mac() + " dev#" + n.ifindex();
    }
}
