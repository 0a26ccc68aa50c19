package dev.jcni.agent.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.agent.AgentLog;
import dev.jcni.ipam.IpPrefix;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guard's decisions on canned tool output; no root, no real iptables. */
class HostForwardGuardTest {
    private static final List<IpPrefix> CLUSTER = List.of(IpPrefix.parse("10.244.0.0/16"));
    private static final String EMPTY_RULESET = "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}]}";
    private static final AgentLog LOG = new AgentLog("netfilter-test");

    private static final String FROM = "-s 10.244.0.0/16 -m comment --comment jcni: pod traffic from 10.244.0.0/16 -j ACCEPT";
    private static final String TO = "-d 10.244.0.0/16 -m comment --comment jcni: pod traffic to 10.244.0.0/16 -j ACCEPT";

    @Test
    void policyDropGetsThePairInsertedAtTheTop() {
        FakeRunner r = new FakeRunner(Set.of("iptables-legacy", "iptables-nft"), line -> switch (line) {
            case "iptables-legacy -w 5 -S FORWARD" -> FakeRunner.ok("-P FORWARD ACCEPT\n");
            case "iptables-nft -w 5 -S FORWARD" -> FakeRunner.ok("-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n");
            default -> line.startsWith("iptables-nft -w 5 -C ") ? FakeRunner.exit(1, "Bad rule")
                    : line.startsWith("iptables-nft -w 5 -I ") ? FakeRunner.ok("") : null;
        });
        List<HostForwardGuard.Blocker> found = new HostForwardGuard(r, LOG).ensure(CLUSTER);
        assertEquals(List.of("iptables-nft -w 5 -I FORWARD 1 " + FROM, "iptables-nft -w 5 -I FORWARD 1 " + TO), r.changes());
        assertEquals(1, found.size());
        assertEquals("iptables-nft filter FORWARD", found.getFirst().where());
        assertEquals("policy DROP", found.getFirst().reason());
        assertTrue(found.getFirst().fixed());
    }

    @Test
    void rulesAlreadyPresentAreLeftAlone() {
        FakeRunner r = new FakeRunner(Set.of("iptables"), line -> switch (line) {
            case "iptables --version" -> FakeRunner.ok("iptables v1.8.9 (legacy)\n");
            case "iptables -w 5 -S FORWARD" -> FakeRunner.ok("""
                    -P FORWARD DROP
                    -A FORWARD -d 10.244.0.0/16 -m comment --comment "jcni: pod traffic to 10.244.0.0/16" -j ACCEPT
                    -A FORWARD -s 10.244.0.0/16 -m comment --comment "jcni: pod traffic from 10.244.0.0/16" -j ACCEPT
                    """);
            default -> line.startsWith("iptables -w 5 -C ") ? FakeRunner.ok("") : null;
        });
        List<HostForwardGuard.Blocker> found = new HostForwardGuard(r, LOG).ensure(CLUSTER);
        assertEquals(List.of(), r.changes());
        assertEquals("accept rules already at the top", found.getFirst().action());
    }

    @Test
    void aRuleBuriedUnderANewRejectMovesBackToTheTop() {
        FakeRunner r = new FakeRunner(Set.of("iptables-legacy"), line -> switch (line) {
            case "iptables-legacy -w 5 -S FORWARD" -> FakeRunner.ok("""
                    -P FORWARD ACCEPT
                    -A FORWARD -d 10.244.0.0/16 -m comment --comment "jcni: pod traffic to 10.244.0.0/16" -j ACCEPT
                    -A FORWARD -j REJECT --reject-with icmp-host-prohibited
                    -A FORWARD -s 10.244.0.0/16 -m comment --comment "jcni: pod traffic from 10.244.0.0/16" -j ACCEPT
                    """);
            default -> line.startsWith("iptables-legacy -w 5 -") ? FakeRunner.ok("") : null;
        });
        new HostForwardGuard(r, LOG).ensure(CLUSTER);
        assertEquals(List.of("iptables-legacy -w 5 -D FORWARD " + FROM, "iptables-legacy -w 5 -I FORWARD 1 " + FROM), r.changes());
    }

    @Test
    void nothingInstalledMeansNothingToDo() {
        FakeRunner r = new FakeRunner(Set.of(), line -> null);
        assertEquals(List.of(), new HostForwardGuard(r, LOG).ensure(CLUSTER));
        assertEquals(0, new HostForwardGuard(r, LOG).remove());
        assertEquals(List.of(), r.calls);
    }

    @Test
    void missingLegacyTableMeansNothingToDoButOtherErrorsAreThrown() {
        String noTable = "iptables v1.8.9 (legacy): can't initialize iptables table `filter': Table does not exist (do you need to insmod?)";
        FakeRunner quiet = new FakeRunner(Set.of("iptables-legacy"), line -> FakeRunner.exit(3, noTable));
        assertEquals(List.of(), new HostForwardGuard(quiet, LOG).ensure(CLUSTER));

        FakeRunner broken = new FakeRunner(Set.of("iptables-legacy", "iptables-nft"), line -> switch (line) {
            case "iptables-legacy -w 5 -S FORWARD" -> FakeRunner.exit(4, "Permission denied (you must be root)");
            case "iptables-nft -w 5 -S FORWARD" -> FakeRunner.ok("-P FORWARD DROP\n");
            default -> line.startsWith("iptables-nft -w 5 -") ? FakeRunner.exit(line.contains(" -C ") ? 1 : 0, "") : null;
        });
        NetfilterException e = assertThrows(NetfilterException.class, () -> new HostForwardGuard(broken, LOG).ensure(CLUSTER));
        assertEquals(4, e.exitCode());
        assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
        assertEquals(2, broken.changes().size(), "the other backend was still fixed: " + broken.changes());
    }

    @Test
    void nftChainWithPolicyDropGetsRulesInOneTransaction() {
        FakeRunner r = new FakeRunner(Set.of("iptables-nft", "nft"), line -> switch (line) {
            case "iptables-nft -w 5 -S FORWARD" -> FakeRunner.ok("-P FORWARD ACCEPT\n-A FORWARD -j REJECT\n");
            case "nft -j list ruleset" -> FakeRunner.ok(NftBaseChainTest.RULESET);
            case "nft -j -f -" -> FakeRunner.ok("");
            default -> line.startsWith("iptables-nft -w 5 -") ? FakeRunner.exit(line.contains(" -C ") ? 1 : 0, "") : null;
        });
        List<HostForwardGuard.Blocker> found = new HostForwardGuard(r, LOG).ensure(CLUSTER);
        // ip filter FORWARD was iptables-nft's to fix; inet hostfw fwd gets nft rules; its "from" rule sits
        // above the drop rule already, so only the "to" rule is inserted.
        assertEquals(List.of("iptables-nft filter FORWARD", "nft chain inet hostfw fwd"),
                found.stream().map(HostForwardGuard.Blocker::where).toList());
        String json = r.calls.stream().filter(c -> c.line().equals("nft -j -f -")).findFirst().orElseThrow().stdin();
        assertEquals("""
                {"nftables":[{"insert":{"rule":{"family":"inet","table":"hostfw","chain":"fwd",\
                "comment":"jcni: pod traffic to 10.244.0.0/16","expr":[{"match":{"op":"==",\
                "left":{"payload":{"protocol":"ip","field":"daddr"}},"right":{"prefix":{"addr":"10.244.0.0","len":16}}}},\
                {"accept":null}]}}}]}""", json);
    }

    @Test
    void removeDeletesEveryMarkedRule() {
        FakeRunner r = new FakeRunner(Set.of("iptables-nft", "ip6tables-nft", "nft"), line -> switch (line) {
            case "iptables-nft -w 5 -S FORWARD" -> FakeRunner.ok("""
                    -P FORWARD DROP
                    -A FORWARD -s 10.99.0.0/16 -m comment --comment "jcni: pod traffic from 10.99.0.0/16" -j ACCEPT
                    -A FORWARD -j DOCKER-USER
                    """);
            case "ip6tables-nft -w 5 -S FORWARD" -> FakeRunner.ok("-P FORWARD ACCEPT\n");
            case "nft -j list ruleset" -> FakeRunner.ok(NftBaseChainTest.RULESET);
            case "nft -j -f -" -> FakeRunner.ok("");
            default -> line.startsWith("iptables-nft -w 5 -D ") ? FakeRunner.ok("") : null;
        });
        assertEquals(2, new HostForwardGuard(r, LOG).remove());
        assertEquals(List.of("iptables-nft -w 5 -D FORWARD -s 10.99.0.0/16 -m comment --comment jcni: pod traffic from 10.99.0.0/16 -j ACCEPT",
                "nft -j -f -"), r.changes());
        assertEquals("{\"nftables\":[{\"delete\":{\"rule\":{\"family\":\"inet\",\"table\":\"hostfw\",\"chain\":\"fwd\",\"handle\":5}}}]}",
                r.calls.getLast().stdin());
        assertFalse(r.changes().stream().anyMatch(l -> l.contains("DOCKER")));
    }
}
