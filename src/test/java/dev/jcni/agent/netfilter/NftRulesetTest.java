package dev.jcni.agent.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.ipam.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftRulesetTest {

    private static IpPrefix p(String s) { return IpPrefix.parse(s); }

    @Test
    void ipv4Only() {
        NetfilterPlan plan = NetfilterPlan.of(p("10.244.0.0/16"), null, "cni0", List.of(p("10.244.1.0/24")));
        assertEquals("""
                # jcni node agent: replaces table inet jcni in one transaction.
                table inet jcni {}
                delete table inet jcni
                table inet jcni {
                \tchain forward {
                \t\ttype filter hook forward priority filter; policy accept;
                \t\tip saddr 10.244.0.0/16 accept comment "jcni: forward pod traffic from the cluster CIDR"
                \t\tip daddr 10.244.0.0/16 accept comment "jcni: forward pod traffic to the cluster CIDR"
                \t}

                \tchain postrouting {
                \t\ttype nat hook postrouting priority srcnat; policy accept;
                \t\toifname "cni0" return comment "jcni: no SNAT via the bridge, pod to pod on this node"
                \t\tip saddr 10.244.1.0/24 ip daddr != 10.244.0.0/16 masquerade comment "jcni: SNAT pods leaving the cluster CIDR; pod to pod keeps its source"
                \t}
                }
                """, NftRuleset.script(plan));
    }

    @Test
    void dualStack() {
        // given IPv6 first: the plan still orders IPv4 first
        NetfilterPlan plan = new NetfilterPlan(List.of(p("fd00:10:244::/56"), p("10.244.0.0/16")), "cni0",
                List.of(p("fd00:10:244:1::/64"), p("10.244.1.0/24")));
        assertEquals("""
                # jcni node agent: replaces table inet jcni in one transaction.
                table inet jcni {}
                delete table inet jcni
                table inet jcni {
                \tchain forward {
                \t\ttype filter hook forward priority filter; policy accept;
                \t\tip saddr 10.244.0.0/16 accept comment "jcni: forward pod traffic from the cluster CIDR"
                \t\tip daddr 10.244.0.0/16 accept comment "jcni: forward pod traffic to the cluster CIDR"
                \t\tip6 saddr fd00:10:244::/56 accept comment "jcni: forward pod traffic from the cluster CIDR"
                \t\tip6 daddr fd00:10:244::/56 accept comment "jcni: forward pod traffic to the cluster CIDR"
                \t}

                \tchain postrouting {
                \t\ttype nat hook postrouting priority srcnat; policy accept;
                \t\toifname "cni0" return comment "jcni: no SNAT via the bridge, pod to pod on this node"
                \t\tip saddr 10.244.1.0/24 ip daddr != 10.244.0.0/16 masquerade comment "jcni: SNAT pods leaving the cluster CIDR; pod to pod keeps its source"
                \t\tip6 saddr fd00:10:244:1::/64 ip6 daddr != fd00:10:244::/56 masquerade comment "jcni: SNAT pods leaving the cluster CIDR; pod to pod keeps its source"
                \t}
                }
                """, NftRuleset.script(plan));
    }

    @Test
    void severalClusterCidrsOfAFamilyBecomeAnAnonymousSet() {
        NetfilterPlan plan = new NetfilterPlan(List.of(p("10.244.0.0/16"), p("10.96.0.0/12")), "br0",
                List.of(p("10.244.3.0/24")));
        String s = NftRuleset.script(plan);
        assertTrue(s.contains("\t\tip saddr 10.244.3.0/24 ip daddr != { 10.244.0.0/16, 10.96.0.0/12 } masquerade"), s);
        assertTrue(s.contains("\t\tip saddr 10.96.0.0/12 accept"), s);
        assertTrue(s.contains("\t\toifname \"br0\" return"), s);
    }

    @Test
    void noPodCidrYetMeansNoMasquerade() {
        String s = NftRuleset.script(NetfilterPlan.of(p("10.244.0.0/16"), null, "cni0", List.of()));
        assertTrue(s.contains("oifname \"cni0\" return"), s);
        assertTrue(!s.contains("masquerade"), s);
    }

    @Test
    void deleteScriptWorksWhetherOrNotTheTableExists() {
        assertEquals("table inet jcni {}\ndelete table inet jcni\n", NftRuleset.deleteScript());
    }

    @Test
    void planRejectsWhatWouldMakeABadScript() {
        IpPrefix cluster = p("10.244.0.0/16");
        assertThrows(IllegalArgumentException.class, () -> new NetfilterPlan(List.of(), "cni0", List.of()));
        assertThrows(IllegalArgumentException.class, () -> NetfilterPlan.of(cluster, null, "cni\"0", List.of()));
        assertThrows(IllegalArgumentException.class, () -> NetfilterPlan.of(cluster, null, "a-very-long-bridge", List.of()));
        assertThrows(IllegalArgumentException.class, () -> NetfilterPlan.of(cluster, null, "", List.of()));
        // outside the cluster CIDR, wider than it, or of a family the cluster lacks
        assertThrows(IllegalArgumentException.class, () -> NetfilterPlan.of(cluster, null, "cni0", List.of(p("10.245.1.0/24"))));
        assertThrows(IllegalArgumentException.class, () -> NetfilterPlan.of(cluster, null, "cni0", List.of(p("10.0.0.0/8"))));
        assertThrows(IllegalArgumentException.class, () -> NetfilterPlan.of(cluster, null, "cni0", List.of(p("fd00::/64"))));
        assertThrows(IllegalArgumentException.class, () -> new NetfilterPlan(List.of(cluster, cluster), "cni0", List.of()));
    }
}
