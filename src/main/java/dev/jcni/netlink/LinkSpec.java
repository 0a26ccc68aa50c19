package dev.jcni.netlink;

import java.net.InetAddress;

/** What {@code links().add(...)} creates; one record per link type. {@code mtu} 0 means the kernel default. */
public sealed interface LinkSpec {
    String name();

    int mtu();

    /** {@code ip link add NAME type bridge} */
    record Bridge(String name, int mtu) implements LinkSpec {}

    /**
     * {@code ip link add NAME type veth peer name PEER netns NS}: with a peer namespace fd the peer
     * is created straight inside that namespace, so it never appears in the host's.
     */
    record Veth(String name, String peerName, int mtu, NsFd peerNamespace) implements LinkSpec {
        public Veth(String name, String peerName, int mtu) { this(name, peerName, mtu, null); }
    }

    /** {@code ip link add NAME type vxlan id VNI local IP dstport PORT [nolearning] [dev UNDERLAY]} */
    record Vxlan(String name, int vni, InetAddress local, int port, boolean learning, int underlayIndex, int mtu)
            implements LinkSpec {}

    /** {@code ip link add NAME type dummy} */
    record Dummy(String name, int mtu) implements LinkSpec {}
}
