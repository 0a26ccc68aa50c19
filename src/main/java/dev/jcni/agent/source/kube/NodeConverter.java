package dev.jcni.agent.source.kube;

import dev.jcni.agent.NodeInfo;
import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the agent needs from a Kubernetes Node: the name, the InternalIP (IPv4 preferred) and
 * {@code spec.podCIDRs} (or the older single {@code spec.podCIDR}). Nothing here throws on bad data:
 * a node without a usable InternalIP is skipped, a pod CIDR that does not parse is left out, and
 * either way the reason is returned as a problem for the log.
 */
final class NodeConverter {

    /** The outcome for one node: the NodeInfo, or empty when the node is skipped; and what was wrong. */
    record Conversion(String name, Optional<NodeInfo> node, List<String> problems) {
        Conversion {
            problems = List.copyOf(problems);
        }

        /** One line for the log: "10.0.0.1 pods [10.244.1.0/24]; ignored ..." or "skipped: ...". */
        String summary() {
            String base = node.map(n -> IpAddresses.format(n.ip()) + " pods " + n.podCidrs())
                    .orElse("skipped");
            return problems.isEmpty() ? base : base + (node.isPresent() ? "; " : ": ") + String.join("; ", problems);
        }
    }

    private static final String INTERNAL_IP = "InternalIP";

    private NodeConverter() {}

    static Conversion convert(Node node) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        List<String> problems = new ArrayList<>();
        Optional<InetAddress> ip = internalIp(node.getStatus(), problems);
        List<IpPrefix> cidrs = podCidrs(node.getSpec(), problems);
        if (name == null || name.isEmpty()) {
            problems.add("no metadata.name");
            return new Conversion(name, Optional.empty(), problems);
        }
        if (ip.isEmpty()) {
            return new Conversion(name, Optional.empty(), problems);
        }
        return new Conversion(name, Optional.of(new NodeInfo(name, ip.get(), cidrs)), problems);
    }

    /** The first IPv4 InternalIP, else the first IPv6 one. */
    private static Optional<InetAddress> internalIp(NodeStatus status, List<String> problems) {
        List<NodeAddress> addresses = status == null || status.getAddresses() == null ? List.of() : status.getAddresses();
        InetAddress v6 = null;
        for (NodeAddress a : addresses) {
            if (!INTERNAL_IP.equals(a.getType())) continue;
            InetAddress parsed;
            try {
                parsed = IpAddresses.parse(a.getAddress());
            } catch (IllegalArgumentException e) {
                problems.add("ignored InternalIP \"" + a.getAddress() + "\": " + e.getMessage());
                continue;
            }
            if (!IpAddresses.isIpv6(parsed)) return Optional.of(parsed);
            if (v6 == null) v6 = parsed;
        }
        if (v6 == null) problems.add("no usable InternalIP in status.addresses");
        return Optional.ofNullable(v6);
    }

    /** spec.podCIDRs, or spec.podCIDR when the list is empty; at most one prefix per family. */
    private static List<IpPrefix> podCidrs(NodeSpec spec, List<String> problems) {
        List<String> texts = List.of();
        if (spec != null && spec.getPodCIDRs() != null && !spec.getPodCIDRs().isEmpty()) {
            texts = spec.getPodCIDRs();
        } else if (spec != null && spec.getPodCIDR() != null && !spec.getPodCIDR().isBlank()) {
            texts = List.of(spec.getPodCIDR());
        }
        List<IpPrefix> out = new ArrayList<>();
        for (String text : texts) {
            IpPrefix.Parsed parsed;
            try {
                parsed = IpPrefix.parseDetailed(text);
            } catch (IllegalArgumentException e) {
                problems.add("ignored pod CIDR \"" + text + "\": " + e.getMessage());
                continue;
            }
            IpPrefix prefix = parsed.prefix();
            if (out.stream().anyMatch(p -> p.isIpv6() == prefix.isIpv6())) {
                problems.add("ignored pod CIDR \"" + text + "\": a second IPv" + (prefix.isIpv6() ? 6 : 4) + " range");
                continue;
            }
            if (parsed.normalized()) {
                problems.add("pod CIDR \"" + text + "\" has host bits set, using " + prefix);
            }
            out.add(prefix);
        }
        return out;
    }
}
