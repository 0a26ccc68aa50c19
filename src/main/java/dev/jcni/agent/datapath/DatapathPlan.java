package dev.jcni.agent.datapath;

import java.util.List;

/**
 * The desired datapath for this node: routes to every reachable peer, the vxlan peers, and the peers
 * that cannot be reached with the chosen backend (logged, never silently dropped).
 */
public record DatapathPlan(List<PeerRoute> routes, List<VxlanPeer> vxlanPeers, boolean vxlanDevice, List<String> unreachable) {
    public DatapathPlan {
        routes = List.copyOf(routes);
        vxlanPeers = List.copyOf(vxlanPeers);
        unreachable = List.copyOf(unreachable);
    }
}
