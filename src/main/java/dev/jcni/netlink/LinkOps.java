package dev.jcni.netlink;

import dev.jcni.netlink.codec.Attributes;
import dev.jcni.netlink.codec.Message;
import dev.jcni.netlink.codec.MessageWriter;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import static dev.jcni.netlink.codec.Rtnl.*;

/** Links, named after the iproute2 commands they equal. */
public final class LinkOps {
    private final NetlinkSocket sock;

    LinkOps(NetlinkSocket sock) { this.sock = sock; }

    /** {@code ip link add …}: fails with {@link AlreadyExistsException} if the name is taken. */
    public void add(LinkSpec spec) {
        sock.execute(LinkRequests.add(spec), "link add", spec.name());
    }

    /** {@code ip link del NAME} */
    public void del(String name) {
        MessageWriter w = new MessageWriter(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK).ifinfomsg(AF_UNSPEC, 0, 0, 0, 0)
                .attrString(IFLA_IFNAME, name);
        sock.execute(w, "link del", name);
    }

    /** {@code ip link show NAME}; throws {@link NotFoundException} naming the link. */
    public Link get(String name) {
        MessageWriter w = new MessageWriter(RTM_GETLINK, NLM_F_REQUEST).ifinfomsg(AF_UNSPEC, 0, 0, 0, 0)
                .attrU32(IFLA_EXT_MASK, RTEXT_FILTER_VF).attrString(IFLA_IFNAME, name);
        return single(sock.query(w, "link show", name), name);
    }

    public Link get(int index) {
        MessageWriter w = new MessageWriter(RTM_GETLINK, NLM_F_REQUEST).ifinfomsg(AF_UNSPEC, 0, index, 0, 0);
        return single(sock.query(w, "link show", "index " + index), "index " + index);
    }

    public Optional<Link> find(String name) {
        try {
            return Optional.of(get(name));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** {@code ip link show} */
    public List<Link> list() {
        MessageWriter w = new MessageWriter(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP).ifinfomsg(AF_UNSPEC, 0, 0, 0, 0);
        return sock.dump(w, "link list").stream().filter(m -> m.type() == RTM_NEWLINK).map(LinkOps::parse).toList();
    }

    /** {@code ip link set NAME up} */
    public void setUp(String name) { setFlags(name, IFF_UP, IFF_UP); }

    /** {@code ip link set NAME down} */
    public void setDown(String name) { setFlags(name, 0, IFF_UP); }

    /** {@code ip link set NAME mtu N} */
    public void setMtu(String name, int mtu) { set(name, "link set mtu", w -> w.attrU32(IFLA_MTU, mtu)); }

    /** {@code ip link set NAME master BRIDGE} */
    public void setMaster(String name, String master) {
        int idx = get(master).index();
        set(name, "link set master", w -> w.attrU32(IFLA_MASTER, idx));
    }

    /** {@code ip link set NAME nomaster} */
    public void setNoMaster(String name) { set(name, "link set nomaster", w -> w.attrU32(IFLA_MASTER, 0)); }

    /** {@code ip link set NAME name NEW} (the link must be down) */
    public void rename(String name, String newName) {
        set(name, "link set name " + newName, w -> w.attrString(IFLA_IFNAME, newName));
    }

    /** {@code ip link set NAME netns NS} */
    public void setNetns(String name, NsFd ns) { set(name, "link set netns", w -> w.attrU32(IFLA_NET_NS_FD, ns.fd())); }

    /** {@code ip link set NAME address MAC} */
    public void setMac(String name, String mac) { set(name, "link set address", w -> w.attr(IFLA_ADDRESS, Mac.parse(mac))); }

    /** {@code ip link set NAME alias TEXT}: a label that survives renames, shown by {@code ip link}. */
    public void setAlias(String name, String alias) { set(name, "link set alias", w -> w.attrString(IFLA_IFALIAS, alias)); }

    /** {@code bridge link set dev NAME hairpin on|off} */
    public void setHairpin(String name, boolean on) {
        int idx = get(name).index();
        MessageWriter w = new MessageWriter(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK).ifinfomsg(AF_BRIDGE, 0, idx, 0, 0);
        int nest = w.beginNested(IFLA_PROTINFO);
        w.attrU8(IFLA_BRPORT_MODE, on ? 1 : 0).endNested(nest);
        sock.execute(w, "link set hairpin", name);
    }

    private void setFlags(String name, int flags, int change) {
        MessageWriter w = new MessageWriter(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK).ifinfomsg(AF_UNSPEC, 0, 0, flags, change)
                .attrString(IFLA_IFNAME, name);
        sock.execute(w, (flags & IFF_UP) != 0 ? "link set up" : "link set down", name);
    }

    private void set(String name, String op, java.util.function.Consumer<MessageWriter> attrs) {
        int idx = get(name).index();
        MessageWriter w = new MessageWriter(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK).ifinfomsg(AF_UNSPEC, 0, idx, 0, 0);
        attrs.accept(w);
        sock.execute(w, op, name);
    }

    private static Link single(List<Message> replies, String what) {
        return replies.stream().filter(m -> m.type() == RTM_NEWLINK).findFirst().map(LinkOps::parse)
                .orElseThrow(() -> new NotFoundException(NetlinkException.ENODEV, "link show", what, "no reply"));
    }

    /** Decodes an RTM_NEWLINK message. */
    public static Link parse(Message m) {
        ByteBuffer b = m.view();
        if (b.remaining() < IFINFOMSG_LEN) {
            throw new dev.jcni.netlink.codec.NetlinkCodecException.Truncated("ifinfomsg of " + b.remaining() + " bytes");
        }
        int index = b.getInt(4);
        int flags = b.getInt(8);
        Attributes a = Attributes.after(b, IFINFOMSG_LEN);
        Optional<Attributes> info = a.nested(IFLA_LINKINFO);
        String kind = info.flatMap(i -> i.string(IFLA_INFO_KIND)).orElse(null);
        Boolean hairpin = info.filter(i -> "bridge".equals(i.string(IFLA_INFO_SLAVE_KIND).orElse(null)))
                .flatMap(i -> i.nested(IFLA_INFO_SLAVE_DATA)).flatMap(d -> d.u8(IFLA_BRPORT_MODE)).map(v -> v != 0)
                .orElse(null);
        Link.Vxlan vx = null;
        if ("vxlan".equals(kind)) {
            Attributes d = info.flatMap(i -> i.nested(IFLA_INFO_DATA)).orElseThrow(
                    () -> new dev.jcni.netlink.codec.NetlinkCodecException.Corrupt("vxlan link without IFLA_INFO_DATA"));
            vx = new Link.Vxlan(d.u32(IFLA_VXLAN_ID).orElse(0),
                    d.address(IFLA_VXLAN_LOCAL).or(() -> d.address(IFLA_VXLAN_LOCAL6)).orElse(null),
                    d.u16be(IFLA_VXLAN_PORT).orElse(0), d.u8(IFLA_VXLAN_LEARNING).orElse(0) != 0,
                    d.u32(IFLA_VXLAN_LINK).orElse(0));
        }
        return new Link(index, a.string(IFLA_IFNAME).orElse(""), kind, a.u32(IFLA_MTU).orElse(0),
                (flags & IFF_UP) != 0, (flags & IFF_LOWER_UP) != 0, a.bytes(IFLA_ADDRESS).map(Mac::format).orElse(null),
                a.u32(IFLA_MASTER).orElse(0), a.u32(IFLA_LINK).orElse(0), a.u32(IFLA_LINK_NETNSID).orElse(null),
                hairpin, vx, a.string(IFLA_IFALIAS).filter(s -> !s.isEmpty()).orElse(null));
    }
}
