package dev.jcni.agent;

import dev.jcni.ipam.IpPrefix;

import java.util.List;

/** The agent's forward-accept and masquerade rules, made to match the cluster and node ranges. */
public interface Netfilter {
    void apply(List<IpPrefix> clusterCidrs, List<IpPrefix> nodeCidrs, String bridge);

    /** For tests and hosts where another component owns netfilter. */
    Netfilter NONE = (c, n, b) -> { };
}
