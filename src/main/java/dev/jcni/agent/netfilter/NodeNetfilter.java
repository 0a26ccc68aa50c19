package dev.jcni.agent.netfilter;

import dev.jcni.agent.AgentLog;
import dev.jcni.agent.Netfilter;
import dev.jcni.ipam.IpPrefix;

import java.util.List;

/**
 * The agent's netfilter: its own {@code inet jcni} table, replaced in one {@code nft -f} transaction
 * only when the ruleset changes, plus the guard that opens the host's FORWARD DROP for pod traffic.
 */
public final class NodeNetfilter implements Netfilter {
    private final Nftables nft;
    private final HostForwardGuard guard;
    private final AgentLog log = new AgentLog("netfilter");
    private String applied;
    private List<HostForwardGuard.Blocker> reported = List.of();

    public NodeNetfilter(CommandRunner runner) {
        this.nft = new Nftables(runner);
        this.guard = new HostForwardGuard(runner, log);
    }

    public NodeNetfilter() { this(CommandRunner.direct()); }

    @Override
    public void apply(List<IpPrefix> clusterCidrs, List<IpPrefix> nodeCidrs, String bridge) {
        NetfilterPlan plan = new NetfilterPlan(clusterCidrs, bridge, nodeCidrs);
        String script = NftRuleset.script(plan);
        // Re-applied on every resync only if someone removed the table; otherwise only on change.
        if (!script.equals(applied) || nft.listTable().isEmpty()) {
            nft.apply(script);
            if (!script.equals(applied)) log.info("table inet jcni: forward accept " + clusterCidrs + ", masquerade " + nodeCidrs);
            applied = script;
        }
        List<HostForwardGuard.Blocker> blockers = guard.ensure(clusterCidrs);
        if (!blockers.equals(reported)) {
            for (HostForwardGuard.Blocker b : blockers) {
                log.info("host forward policy: " + b.where() + " " + b.reason() + " -> " + b.action());
            }
            reported = blockers;
        }
    }
}
