package dev.jcni.agent.datapath;

import java.net.InetAddress;

/** What a vxlan peer needs: a neighbour entry (VTEP address → MAC) and an FDB entry (MAC → node IP). */
public record VxlanPeer(String node, InetAddress vtepIp, String vtepMac, InetAddress underlayIp) {}
