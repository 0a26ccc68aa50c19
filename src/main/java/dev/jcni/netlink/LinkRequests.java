package dev.jcni.netlink;

import dev.jcni.netlink.codec.MessageWriter;

import java.net.Inet4Address;

import static dev.jcni.netlink.codec.Rtnl.*;

/** Builds RTM_NEWLINK requests for each link type; pure, so their bytes are tested without root. */
public final class LinkRequests {
    private LinkRequests() {}

    public static MessageWriter add(LinkSpec spec) {
        MessageWriter w = new MessageWriter(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0, 0)
                .attrString(IFLA_IFNAME, spec.name());
        if (spec.mtu() > 0) w.attrU32(IFLA_MTU, spec.mtu());
        int info = w.beginNested(IFLA_LINKINFO);
        switch (spec) {
            case LinkSpec.Bridge b -> w.attrString(IFLA_INFO_KIND, "bridge");
            case LinkSpec.Dummy d -> w.attrString(IFLA_INFO_KIND, "dummy");
            case LinkSpec.Veth v -> {
                w.attrString(IFLA_INFO_KIND, "veth");
                int data = w.beginNested(IFLA_INFO_DATA);
                int peer = w.beginPlain(VETH_INFO_PEER); // veth.h: the peer's ifinfomsg follows the header
                w.ifinfomsg(AF_UNSPEC, 0, 0, 0, 0).attrString(IFLA_IFNAME, v.peerName());
                if (v.mtu() > 0) w.attrU32(IFLA_MTU, v.mtu());
                if (v.peerNamespace() != null) w.attrU32(IFLA_NET_NS_FD, v.peerNamespace().fd());
                w.endNested(peer).endNested(data);
            }
            case LinkSpec.Vxlan x -> {
                w.attrString(IFLA_INFO_KIND, "vxlan");
                int data = w.beginNested(IFLA_INFO_DATA);
                w.attrU32(IFLA_VXLAN_ID, x.vni());
                if (x.local() != null) {
                    w.attr(x.local() instanceof Inet4Address ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, x.local().getAddress());
                }
                if (x.underlayIndex() > 0) w.attrU32(IFLA_VXLAN_LINK, x.underlayIndex());
                w.attrU8(IFLA_VXLAN_LEARNING, x.learning() ? 1 : 0);
                w.attrU16Be(IFLA_VXLAN_PORT, x.port());
                w.endNested(data);
            }
        }
        return w.endNested(info);
    }
}
