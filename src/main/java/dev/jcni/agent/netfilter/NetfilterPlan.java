package dev.jcni.agent.netfilter;

import dev.jcni.ipam.IpPrefix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the node's netfilter table is generated from: the cluster CIDR(s) (an IPv4 one and optionally an
 * IPv6 one; more per family are allowed), the node's bridge, and the node's own pod CIDR(s), empty while
 * the node has none assigned yet. Lists are kept IPv4 first so equal plans give the same script.
 */
public record NetfilterPlan(List<IpPrefix> clusterCidrs, String bridge, List<IpPrefix> podCidrs) {
    /** A Linux interface name: at most 15 bytes, none of the characters the kernel or nft would choke on. */
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.@+-]{1,15}");

    public NetfilterPlan {
        Objects.requireNonNull(bridge, "bridge");
        clusterCidrs = familyOrdered(Objects.requireNonNull(clusterCidrs, "clusterCidrs"), "cluster CIDR");
        podCidrs = familyOrdered(Objects.requireNonNull(podCidrs, "podCidrs"), "pod CIDR");
        if (clusterCidrs.isEmpty()) {
            throw new IllegalArgumentException("netfilter plan needs at least one cluster CIDR");
        }
        if (!IFNAME.matcher(bridge).matches() || bridge.equals(".") || bridge.equals("..")) {
            throw new IllegalArgumentException("invalid bridge name \"" + bridge + "\" (1-15 of [A-Za-z0-9_.@+-])");
        }
        for (IpPrefix pod : podCidrs) {
            boolean inside = clusterCidrs.stream().anyMatch(c -> c.isIpv6() == pod.isIpv6()
                    && c.prefixLength() <= pod.prefixLength() && c.contains(pod.network()));
            if (!inside) {
                throw new IllegalArgumentException("pod CIDR " + pod + " is not inside any cluster CIDR " + clusterCidrs);
            }
        }
    }

    /** IPv4-only or dual-stack plan with one cluster CIDR per family; {@code clusterV6} may be null. */
    public static NetfilterPlan of(IpPrefix clusterV4, IpPrefix clusterV6, String bridge, List<IpPrefix> podCidrs) {
        List<IpPrefix> cluster = new ArrayList<>();
        cluster.add(Objects.requireNonNull(clusterV4, "clusterV4"));
        if (clusterV6 != null) cluster.add(clusterV6);
        return new NetfilterPlan(cluster, bridge, podCidrs);
    }

    /** The cluster CIDRs of one family. */
    public List<IpPrefix> clusterCidrs(boolean ipv6) {
        return clusterCidrs.stream().filter(p -> p.isIpv6() == ipv6).toList();
    }

    /** The node's pod CIDRs of one family. */
    public List<IpPrefix> podCidrs(boolean ipv6) {
        return podCidrs.stream().filter(p -> p.isIpv6() == ipv6).toList();
    }

    private static List<IpPrefix> familyOrdered(List<IpPrefix> in, String what) {
        var seen = new HashSet<IpPrefix>();
        for (IpPrefix p : in) {
            Objects.requireNonNull(p, what);
            if (!seen.add(p)) throw new IllegalArgumentException("duplicate " + what + " " + p);
        }
        List<IpPrefix> out = new ArrayList<>(in);
        out.sort(Comparator.comparing(IpPrefix::isIpv6)); // stable: keeps the caller's order within a family
        return List.copyOf(out);
    }
}
