package dev.jcni.agent.netfilter;

import dev.jcni.ipam.IpPrefix;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Generates the nft script for the agent's own table, {@code table inet jcni}. Pure: no I/O.
 *
 * <p>The script replaces the whole table in one {@code nft -f} transaction: it first declares the table
 * (a no-op when it exists) and deletes it, so the delete never fails, then defines it afresh. Either
 * everything applies or nothing does, and re-applying gives the same single table.
 *
 * <ul>
 *   <li>{@code forward} (filter, policy accept): accepts traffic from and to the cluster CIDRs. This only
 *       helps against a drop in this very chain; a drop in another table's base chain still wins, which
 *       is what {@link HostForwardGuard} deals with.</li>
 *   <li>{@code postrouting} (nat, srcnat): pod traffic from this node's pod CIDR to a destination
 *       outside the cluster is masqueraded. Traffic leaving through the bridge (pod to pod on this node)
 *       and traffic to other pods (pod to pod across nodes) keeps its source address.</li>
 * </ul>
 */
public final class NftRuleset {
    public static final String FAMILY = "inet";
    public static final String TABLE = "jcni";
    /** {@code inet jcni}, as nft commands name it. */
    public static final String QUALIFIED_TABLE = FAMILY + " " + TABLE;

    private NftRuleset() {}

    /** The complete script for {@code nft -f -}. */
    public static String script(NetfilterPlan plan) {
        StringBuilder s = new StringBuilder();
        s.append("# jcni node agent: replaces table ").append(QUALIFIED_TABLE).append(" in one transaction.\n");
        s.append("table ").append(QUALIFIED_TABLE).append(" {}\n");
        s.append("delete table ").append(QUALIFIED_TABLE).append('\n');
        s.append("table ").append(QUALIFIED_TABLE).append(" {\n");

        s.append("\tchain forward {\n");
        s.append("\t\ttype filter hook forward priority filter; policy accept;\n");
        for (IpPrefix c : plan.clusterCidrs()) {
            String ip = family(c);
            rule(s, ip + " saddr " + c + " accept", "jcni: forward pod traffic from the cluster CIDR");
            rule(s, ip + " daddr " + c + " accept", "jcni: forward pod traffic to the cluster CIDR");
        }
        s.append("\t}\n\n");

        s.append("\tchain postrouting {\n");
        s.append("\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        rule(s, "oifname \"" + plan.bridge() + "\" return", "jcni: no SNAT via the bridge, pod to pod on this node");
        for (IpPrefix pod : plan.podCidrs()) {
            String ip = family(pod);
            rule(s, ip + " saddr " + pod + " " + ip + " daddr != " + anyOf(plan.clusterCidrs(pod.isIpv6())) + " masquerade",
                    "jcni: SNAT pods leaving the cluster CIDR; pod to pod keeps its source");
        }
        s.append("\t}\n");
        s.append("}\n");
        return s.toString();
    }

    /** A script that removes the table, and succeeds when there is none. */
    public static String deleteScript() {
        return "table " + QUALIFIED_TABLE + " {}\ndelete table " + QUALIFIED_TABLE + "\n";
    }

    private static void rule(StringBuilder s, String rule, String comment) {
        s.append("\t\t").append(rule).append(" comment \"").append(comment).append("\"\n");
    }

    private static String family(IpPrefix p) {
        return p.isIpv6() ? "ip6" : "ip";
    }

    /** One prefix as is, several as an anonymous set. */
    private static String anyOf(List<IpPrefix> prefixes) {
        if (prefixes.size() == 1) return prefixes.getFirst().toString();
        return prefixes.stream().map(IpPrefix::toString).collect(Collectors.joining(", ", "{ ", " }"));
    }
}
