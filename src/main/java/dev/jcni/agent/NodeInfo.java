package dev.jcni.agent;

import dev.jcni.ipam.IpPrefix;

import java.net.InetAddress;
import java.util.List;

/**
 * One node as cluster state describes it: its name, its underlay address, and its pod range(s)
 * (one IPv4 and/or one IPv6). A node whose pod CIDR is not assigned yet has an empty list.
 */
public record NodeInfo(String name, InetAddress ip, List<IpPrefix> podCidrs) {
    public NodeInfo {
        podCidrs = List.copyOf(podCidrs);
    }
}
