package dev.jcni.netlink.codec;

/** Netlink and rtnetlink constants, from linux/netlink.h, rtnetlink.h, if_link.h, veth.h, neighbour.h. */
public final class Rtnl {
    private Rtnl() {}

    public static final int NLMSG_HDRLEN = 16;
    public static final int NLA_HDRLEN = 4;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    // nlmsg types
    public static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    public static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28, RTM_DELNEIGH = 29, RTM_GETNEIGH = 30;

    // nlmsg flags
    public static final int NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_ECHO = 0x8;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_APPEND = 0x800;
    // flags on an NLMSG_ERROR ack
    public static final int NLM_F_CAPPED = 0x100, NLM_F_ACK_TLVS = 0x200;
    public static final int NLMSGERR_ATTR_MSG = 1, NLMSGERR_ATTR_OFFS = 2;

    // socket options (SOL_NETLINK)
    public static final int NETLINK_CAP_ACK = 10, NETLINK_EXT_ACK = 11, NETLINK_GET_STRICT_CHK = 12;

    // address families
    public static final int AF_UNSPEC = 0, AF_INET = 2, AF_BRIDGE = 7, AF_INET6 = 10;

    // struct sizes
    public static final int IFINFOMSG_LEN = 16, IFADDRMSG_LEN = 8, RTMSG_LEN = 12, NDMSG_LEN = 12;

    // link flags
    public static final int IFF_UP = 0x1, IFF_LOWER_UP = 0x10000;

    // IFLA_*
    public static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINK = 5, IFLA_MASTER = 10;
    public static final int IFLA_PROTINFO = 12, IFLA_OPERSTATE = 16, IFLA_LINKINFO = 18, IFLA_IFALIAS = 20, IFLA_NET_NS_FD = 28;
    public static final int IFLA_EXT_MASK = 29, IFLA_LINK_NETNSID = 37;
    public static final int IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, IFLA_INFO_SLAVE_KIND = 4, IFLA_INFO_SLAVE_DATA = 5;
    public static final int VETH_INFO_PEER = 1;
    public static final int IFLA_VXLAN_ID = 1, IFLA_VXLAN_LINK = 3, IFLA_VXLAN_LOCAL = 4, IFLA_VXLAN_LEARNING = 7;
    public static final int IFLA_VXLAN_PORT = 15, IFLA_VXLAN_LOCAL6 = 17;
    public static final int IFLA_BRPORT_MODE = 4;
    public static final int RTEXT_FILTER_VF = 1;

    // IFA_*
    public static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_FLAGS = 8;
    public static final int IFA_F_NODAD = 0x02, IFA_F_PERMANENT = 0x80;

    // RTA_* and route header values
    public static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7, RTA_TABLE = 15;
    public static final int RT_TABLE_UNSPEC = 0, RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255;
    public static final int RTN_UNICAST = 1, RTN_LOCAL = 2;
    public static final int RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254;
    public static final int RTPROT_KERNEL = 2, RTPROT_BOOT = 3, RTPROT_STATIC = 4;
    public static final int RTNH_F_ONLINK = 4;

    // NDA_* and neighbour states/flags
    public static final int NDA_DST = 1, NDA_LLADDR = 2, NDA_MASTER = 9;
    public static final int NUD_PERMANENT = 0x80, NUD_NOARP = 0x40, NUD_REACHABLE = 0x02;
    public static final int NTF_SELF = 0x02, NTF_MASTER = 0x04;

    public static int align(int n) {
        return (n + 3) & ~3;
    }
}
