package dev.jcni.agent.datapath;

import dev.jcni.ipam.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * VXLAN endpoint identities derived from what every agent already knows, so nothing extra has to be
 * published: a node's VTEP MAC comes from its node IP, its VTEP address is its pod range's network
 * address (as flannel does), which is never handed to a pod.
 */
public final class Vtep {
    public static final String DEVICE = "jcni.vxlan";
    public static final int VNI = 1;
    public static final int PORT = 4789;
    /** IPv4 outer header 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
    public static final int OVERHEAD = 50;

    private Vtep() {}

    /** 0e:6a followed by the IPv4 node address: locally administered, unicast, stable. */
    public static String mac(InetAddress nodeIp) {
        byte[] a = ((Inet4Address) nodeIp).getAddress();
        return String.format("0e:6a:%02x:%02x:%02x:%02x", a[0] & 0xff, a[1] & 0xff, a[2] & 0xff, a[3] & 0xff);
    }

    public static InetAddress address(IpPrefix podCidr) { return podCidr.network(); }
}
