package dev.jcni.agent.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcni.agent.AgentLog;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.testing.Privileged;
import dev.jcni.testing.Sh;
import dev.jcni.testing.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real nft and iptables, always inside a fresh "node" namespace: every command goes through
 * {@code ip netns exec <node>}, so the namespace the tests run in is never touched.
 */
@Privileged
class NetfilterKernelTest {
    private static final AgentLog LOG = new AgentLog("netfilter-test");
    private static final IpPrefix CLUSTER4 = IpPrefix.parse("10.99.0.0/16");
    private static final IpPrefix CLUSTER6 = IpPrefix.parse("fd00:99::/48");
    private static final NetfilterPlan V4 = NetfilterPlan.of(CLUSTER4, null, "cni0", List.of(IpPrefix.parse("10.99.1.0/24")));
    private static final NetfilterPlan DUAL = NetfilterPlan.of(CLUSTER4, CLUSTER6, "cni0",
            List.of(IpPrefix.parse("10.99.1.0/24"), IpPrefix.parse("fd00:99:0:1::/64")));

    private static CommandRunner in(TestNamespaces ns, String name) {
        return CommandRunner.prefixed(List.of("ip", "netns", "exec", ns.fullName(name)));
    }

    /** Runs a command in namespace {@code name} and returns its stdout, asserting success. */
    private static String sh(TestNamespaces ns, String name, String... cmd) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.fullName(name)));
        argv.addAll(List.of(cmd));
        return Sh.run(argv, null).ok().out();
    }

    private static void assumeInstalled(String... tools) {
        CommandRunner probe = CommandRunner.direct();
        for (String t : tools) assumeTrue(probe.locate(t).isPresent(), "skipped: " + t + " is not installed");
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void rulesetAppliesAndReappliesAsOneTable() {
        assumeInstalled("nft");
        try (TestNamespaces ns = new TestNamespaces()) {
            ns.create("node");
            Nftables nft = new Nftables(in(ns, "node"));
            assertTrue(nft.listTable().isEmpty());

            nft.apply(V4);
            String first = nft.listTable().orElseThrow();
            assertTrue(first.contains("chain forward {") && first.contains("chain postrouting {"), first);
            assertTrue(first.contains("type filter hook forward priority filter; policy accept;"), first);
            assertTrue(first.contains("ip saddr 10.99.0.0/16 accept comment"), first);
            assertTrue(first.contains("oifname \"cni0\" return comment"), first);
            assertTrue(first.contains("ip saddr 10.99.1.0/24 ip daddr != 10.99.0.0/16 masquerade comment"), first);

            nft.apply(V4);
            assertEquals(first, nft.listTable().orElseThrow(), "re-applying changes nothing");
            assertEquals(1, count(sh(ns, "node", "nft", "list", "tables"), "table inet jcni"));

            nft.apply(DUAL);
            String dual = nft.listTable().orElseThrow();
            assertTrue(dual.contains("ip6 saddr fd00:99:0:1::/64 ip6 daddr != fd00:99::/48 masquerade"), dual);
            assertEquals(1, count(dual, "ip saddr 10.99.0.0/16 accept"), "replaced, not appended: " + dual);

            nft.deleteTable();
            nft.deleteTable();
            assertTrue(nft.listTable().isEmpty());
        }
    }

    @Test
    void aRejectedScriptChangesNothingAndCarriesNftsError() {
        assumeInstalled("nft");
        try (TestNamespaces ns = new TestNamespaces()) {
            ns.create("node");
            Nftables nft = new Nftables(in(ns, "node"));
            nft.apply(V4);
            String before = nft.listTable().orElseThrow();
            NetfilterException e = assertThrows(NetfilterException.class,
                    () -> nft.apply(NftRuleset.deleteScript() + "table inet jcni { chain c { no such statement } }\n"));
            assertTrue(e.stderr().contains("syntax error"), e.stderr());
            assertEquals(1, e.exitCode());
            assertEquals(before, nft.listTable().orElseThrow(), "one transaction: the delete did not happen either");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"iptables-nft", "iptables-legacy"})
    void guardAddsTheAcceptPairOnceAndRemovesIt(String tool) {
        String tool6 = tool.replace("iptables", "ip6tables");
        assumeInstalled(tool, tool6);
        try (TestNamespaces ns = new TestNamespaces()) {
            ns.create("node");
            sh(ns, "node", tool, "-P", "FORWARD", "DROP");
            sh(ns, "node", tool6, "-P", "FORWARD", "DROP");
            HostForwardGuard guard = new HostForwardGuard(in(ns, "node"), LOG);

            List<HostForwardGuard.Blocker> found = guard.ensure(List.of(CLUSTER4, CLUSTER6));
            assertEquals(List.of(tool + " filter FORWARD", tool6 + " filter FORWARD"),
                    found.stream().map(HostForwardGuard.Blocker::where).toList(), found.toString());
            String v4 = sh(ns, "node", tool, "-S", "FORWARD");
            assertEquals("""
                    -P FORWARD DROP
                    -A FORWARD -d 10.99.0.0/16 -m comment --comment "jcni: pod traffic to 10.99.0.0/16" -j ACCEPT
                    -A FORWARD -s 10.99.0.0/16 -m comment --comment "jcni: pod traffic from 10.99.0.0/16" -j ACCEPT
                    """, v4);
            String v6 = sh(ns, "node", tool6, "-S", "FORWARD");
            assertEquals(2, count(v6, "jcni: pod traffic"), v6);

            guard.ensure(List.of(CLUSTER4, CLUSTER6));
            assertEquals(v4, sh(ns, "node", tool, "-S", "FORWARD"), "second call adds nothing");
            assertEquals(v6, sh(ns, "node", tool6, "-S", "FORWARD"));

            assertEquals(4, guard.remove());
            assertEquals("-P FORWARD DROP\n", sh(ns, "node", tool, "-S", "FORWARD"));
            assertEquals("-P FORWARD DROP\n", sh(ns, "node", tool6, "-S", "FORWARD"));
            assertEquals(0, guard.remove());
        }
    }

    @Test
    void guardPutsTheAcceptPairIntoAnotherTablesNftChain() {
        assumeInstalled("nft");
        try (TestNamespaces ns = new TestNamespaces()) {
            ns.create("node");
            Nftables nft = new Nftables(in(ns, "node"));
            nft.apply(V4);
            // A host firewall whose forward chain is named "fwd", a keyword to nft's own syntax (so JSON it is).
            nft.applyJson("""
                    {"nftables": [{"add": {"table": {"family": "inet", "name": "hostfw"}}},
                     {"add": {"chain": {"family": "inet", "table": "hostfw", "name": "fwd",
                       "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}}},
                     {"add": {"rule": {"family": "inet", "table": "hostfw", "chain": "fwd", "expr": [
                       {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "invalid"}}, {"drop": null}]}}}]}
                    """);
            HostForwardGuard guard = new HostForwardGuard(in(ns, "node"), LOG);

            List<HostForwardGuard.Blocker> found = guard.ensure(List.of(CLUSTER4));
            assertEquals(1, found.size(), "jcni's own table is no blocker: " + found);
            assertEquals("nft chain inet hostfw fwd", found.getFirst().where());
            String chain = sh(ns, "node", "nft", "list", "table", "inet", "hostfw");
            List<String> rules = chain.lines().map(String::strip).filter(l -> l.contains("accept") || l.contains("drop")).toList();
            assertEquals(List.of(
                    "type filter hook forward priority filter; policy drop;",
                    "ip daddr 10.99.0.0/16 accept comment \"jcni: pod traffic to 10.99.0.0/16\"",
                    "ip saddr 10.99.0.0/16 accept comment \"jcni: pod traffic from 10.99.0.0/16\"",
                    "ct state invalid drop"), rules);

            guard.ensure(List.of(CLUSTER4));
            assertEquals(chain, sh(ns, "node", "nft", "list", "table", "inet", "hostfw"), "second call adds nothing");

            assertEquals(2, guard.remove());
            assertEquals(0, count(sh(ns, "node", "nft", "list", "table", "inet", "hostfw"), "jcni:"));
            assertTrue(nft.listTable().isPresent(), "remove() leaves jcni's own table alone");
        }
    }

    /**
     * Two "pods" on different subnets routed by the node. FORWARD policy DROP blocks them, jcni's own
     * accept does not help, the guard does, and removing the guard's rules blocks them again.
     */
    @Test
    void forwardDropBlocksPodTrafficUntilTheGuardRuns() {
        assumeInstalled("nft", "iptables", "ping");
        try (TestNamespaces ns = new TestNamespaces()) {
            ns.create("node");
            ns.create("a");
            ns.create("b");
            pod(ns, "a", "va", "10.99.1");
            pod(ns, "b", "vb", "10.99.2");
            sh(ns, "node", "sysctl", "-qw", "net.ipv4.ip_forward=1");
            assertTrue(ping(ns, "a", "10.99.2.2"), "baseline: the node routes between the pods");

            sh(ns, "node", "iptables", "-P", "FORWARD", "DROP");
            assertFalse(ping(ns, "a", "10.99.2.2"), "FORWARD policy DROP blocks");

            Nftables nft = new Nftables(in(ns, "node"));
            nft.apply(V4);
            assertFalse(ping(ns, "a", "10.99.2.2"), "an accept in table inet jcni does not override the drop");

            HostForwardGuard guard = new HostForwardGuard(in(ns, "node"), LOG);
            assertFalse(guard.ensure(List.of(CLUSTER4)).isEmpty());
            assertTrue(ping(ns, "a", "10.99.2.2"), "the guard's accept rules let pod traffic through");
            assertTrue(ping(ns, "b", "10.99.1.2"), "both directions");

            guard.remove();
            assertFalse(ping(ns, "a", "10.99.2.2"), "blocked again once the rules are gone");
        }
    }

    /** A pod namespace with eth0 = {@code <net>.2/24}, its peer {@code node:<ifname>} = {@code <net>.1}, default via it. */
    private static void pod(TestNamespaces ns, String pod, String ifname, String net) {
        Sh.ip(ns.fullName("node"), "link", "add", ifname, "type", "veth", "peer", "name", "eth0", "netns", ns.fullName(pod)).ok();
        Sh.ip(ns.fullName("node"), "addr", "add", net + ".1/24", "dev", ifname).ok();
        Sh.ip(ns.fullName("node"), "link", "set", ifname, "up").ok();
        Sh.ip(ns.fullName(pod), "addr", "add", net + ".2/24", "dev", "eth0").ok();
        Sh.ip(ns.fullName(pod), "link", "set", "eth0", "up").ok();
        Sh.ip(ns.fullName(pod), "link", "set", "lo", "up").ok();
        Sh.ip(ns.fullName(pod), "route", "add", "default", "via", net + ".1").ok();
    }

    private static boolean ping(TestNamespaces ns, String from, String to) {
        return Sh.run(List.of("ip", "netns", "exec", ns.fullName(from), "ping", "-c", "1", "-W", "1", "-n", "-q", to), null).exit() == 0;
    }
}
