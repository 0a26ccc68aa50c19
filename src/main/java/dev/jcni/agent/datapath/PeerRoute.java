package dev.jcni.agent.datapath;

import dev.jcni.ipam.IpPrefix;

import java.net.InetAddress;

/** A route the agent owns: a peer's pod range via its node IP (host-gw) or its VTEP (vxlan, onlink). */
public record PeerRoute(String node, IpPrefix dst, InetAddress via, boolean vxlan) {}
