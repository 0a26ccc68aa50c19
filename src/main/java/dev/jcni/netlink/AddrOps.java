package dev.jcni.netlink;

import dev.jcni.netlink.codec.Attributes;
import dev.jcni.netlink.codec.Message;
import dev.jcni.netlink.codec.MessageWriter;
import dev.jcni.netlink.codec.NetlinkCodecException;

import java.nio.ByteBuffer;
import java.util.List;

import static dev.jcni.netlink.codec.Rtnl.*;

/** Interface addresses, named after the iproute2 commands they equal. */
public final class AddrOps {
    private final NetlinkSocket sock;
    private final LinkOps links;

    AddrOps(NetlinkSocket sock, LinkOps links) {
        this.sock = sock;
        this.links = links;
    }

    /** {@code ip addr add CIDR dev DEV [nodad]}; nodad matters for IPv6 only, where DAD costs seconds. */
    public void add(String dev, IpNet addr, boolean nodad) {
        sock.execute(request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, links.get(dev).index(), addr, nodad),
                "addr add", addr + " dev " + dev);
    }

    public void add(String dev, IpNet addr) { add(dev, addr, false); }

    /** {@code ip addr del CIDR dev DEV} */
    public void del(String dev, IpNet addr) {
        sock.execute(request(RTM_DELADDR, 0, links.get(dev).index(), addr, false), "addr del", addr + " dev " + dev);
    }

    /** {@code ip addr show dev DEV} */
    public List<Address> list(String dev) {
        int idx = links.get(dev).index();
        return list().stream().filter(a -> a.ifindex() == idx).toList();
    }

    /** {@code ip addr show} */
    public List<Address> list() {
        MessageWriter w = new MessageWriter(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP).ifaddrmsg(AF_UNSPEC, 0, 0, 0, 0);
        return sock.dump(w, "addr list").stream().filter(m -> m.type() == RTM_NEWADDR).map(AddrOps::parse).toList();
    }

    public static MessageWriter request(int type, int extraFlags, int ifindex, IpNet addr, boolean nodad) {
        int flags = nodad && addr.isIpv6() ? IFA_F_NODAD : 0;
        MessageWriter w = new MessageWriter(type, NLM_F_REQUEST | NLM_F_ACK | extraFlags)
                .ifaddrmsg(addr.family(), addr.prefixLength(), flags, RT_SCOPE_UNIVERSE, ifindex);
        byte[] ip = addr.ip().getAddress();
        w.attr(IFA_LOCAL, ip).attr(IFA_ADDRESS, ip);
        if (flags != 0) w.attrU32(IFA_FLAGS, flags);
        return w;
    }

    public static Address parse(Message m) {
        ByteBuffer b = m.view();
        if (b.remaining() < IFADDRMSG_LEN) throw new NetlinkCodecException.Truncated("ifaddrmsg of " + b.remaining() + " bytes");
        int prefix = Byte.toUnsignedInt(b.get(1));
        int flags = Byte.toUnsignedInt(b.get(2));
        int scope = Byte.toUnsignedInt(b.get(3));
        int index = b.getInt(4);
        Attributes a = Attributes.after(b, IFADDRMSG_LEN);
        var ip = a.address(IFA_LOCAL).or(() -> a.address(IFA_ADDRESS))
                .orElseThrow(() -> new NetlinkCodecException.Corrupt("address message without IFA_ADDRESS"));
        return new Address(index, new IpNet(ip, prefix), scope, a.u32(IFA_FLAGS).orElse(flags), a.string(IFA_LABEL).orElse(null));
    }
}
