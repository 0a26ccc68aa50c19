package dev.jcni.plugin;

import dev.jcni.netlink.IpNet;

import java.net.InetAddress;

/** One address of a pod, with the gateway its default route goes through. */
public record PodAddress(IpNet address, InetAddress gateway) {
    public boolean isIpv6() { return address.isIpv6(); }
}
