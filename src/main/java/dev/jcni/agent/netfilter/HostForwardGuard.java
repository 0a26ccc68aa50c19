package dev.jcni.agent.netfilter;

import dev.jcni.agent.AgentLog;
import dev.jcni.ipam.IpPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a host's own FORWARD drop from silently blocking pod traffic.
 *
 * <p><b>Why.</b> Docker and host firewalls often set the iptables {@code filter FORWARD} policy to DROP, or
 * end the chain with a DROP/REJECT rule. Every base chain on a netfilter hook judges each packet on its
 * own, and a drop in any of them is final: the {@code accept} in jcni's {@code table inet jcni} cannot
 * override it. The only fix that works is an accept <em>in the blocking chain itself</em>, above the drop.
 *
 * <p><b>What {@link #ensure} checks and fixes</b>, for each family the cluster has a CIDR of:
 * <ol>
 *   <li>iptables {@code filter FORWARD}, through both backends when both tools are installed
 *       ({@code iptables-legacy} and {@code iptables-nft}, likewise for ip6tables), else plain
 *       {@code iptables}: the kernel runs legacy and nftables hooks side by side, so a drop in either one
 *       blocks. A tool that is not installed, or a legacy table that does not exist, means nothing to do.
 *       When the chain blocks, it inserts at position 1, once (checked with {@code -C}):
 *       <pre>iptables -I FORWARD 1 -s 10.244.0.0/16 -m comment --comment "jcni: pod traffic from 10.244.0.0/16" -j ACCEPT
 *iptables -I FORWARD 1 -d 10.244.0.0/16 -m comment --comment "jcni: pod traffic to 10.244.0.0/16" -j ACCEPT</pre>
 *       A rule already present but now below a DROP/REJECT (another tool inserted at the top since) is
 *       moved back to the top.</li>
 *   <li>nftables base chains of other tables on the forward hook ({@code nft -j list ruleset}) whose policy
 *       is drop or that hold a drop/reject rule (e.g. a hand-written {@code inet filter}, firewalld).
 *       It logs a warning naming the table and chain and inserts the same pair at the top of that chain
 *       in one transaction: {@code nft insert rule <family> <table> <chain> ip saddr <cidr> accept comment
 *       "jcni: ..."} (sent as nft JSON, which takes any chain name). The {@code ip/ip6 filter FORWARD}
 *       chain of iptables-nft is left to iptables-nft (nft-native rules there would confuse it). Should
 *       nft refuse, the warning spells out the commands the operator has to run.</li>
 * </ol>
 * Call it at start-up and again on every reconcile: a firewall reload (firewalld, Docker restart) drops or
 * buries the rules, and the next call puts them back. {@link #remove} deletes every rule carrying the
 * {@code jcni:} marker from those chains (also the ones of an older cluster CIDR).
 *
 * <p>Caveat, on purpose: inserting above a drop also lets pod traffic past that chain's other drops
 * (e.g. {@code ct state invalid drop}); jcni's pod traffic is judged by jcni's own table instead.
 */
public final class HostForwardGuard {
    /** Start of the comment of every rule the guard adds; what {@link #remove} looks for. */
    public static final String MARKER = "jcni:";
    private static final String CHAIN = "FORWARD";
    private static final String WAIT = "5"; // seconds to wait for the xtables lock

    /** A chain found blocking forwarded traffic, and what the guard did about it. */
    public record Blocker(String where, String reason, boolean fixed, String action) {}

    private enum Direction {
        FROM("-s", "saddr", "from"), TO("-d", "daddr", "to");

        final String iptablesFlag;
        final String nftField;
        final String word;

        Direction(String iptablesFlag, String nftField, String word) {
            this.iptablesFlag = iptablesFlag;
            this.nftField = nftField;
            this.word = word;
        }

        String comment(IpPrefix cidr) {
            return MARKER + " pod traffic " + word + " " + cidr;
        }
    }

    /** One iptables binary; {@code nftBackend} when it writes nftables tables (iptables-nft). */
    private record Tool(String name, String path, boolean ipv6, boolean nftBackend) {}

    private final CommandRunner runner;
    private final Nftables nft;
    private final AgentLog log;

    public HostForwardGuard(CommandRunner runner, AgentLog log) {
        this.runner = runner;
        this.nft = new Nftables(runner);
        this.log = log;
    }

    /** The guard for the agent process itself (commands run in its network namespace). */
    public HostForwardGuard(AgentLog log) {
        this(CommandRunner.direct(), log);
    }

    /**
     * Finds every chain that would drop forwarded traffic of {@code clusterCidrs} and makes sure the accept
     * rules sit at its top. Idempotent. Returns the blocking chains found (empty: nothing blocks). Keeps
     * going past a failing tool and throws the first failure at the end, the others suppressed.
     */
    public List<Blocker> ensure(List<IpPrefix> clusterCidrs) {
        List<Blocker> found = new ArrayList<>();
        Failures failures = new Failures();
        List<String> iptablesNftFamilies = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true}) {
            List<IpPrefix> cidrs = ofFamily(clusterCidrs, v6);
            if (cidrs.isEmpty()) continue;
            for (Tool t : iptablesTools(v6)) {
                failures.attempt(() -> {
                    ensureIptables(t, cidrs).ifPresent(found::add);
                    if (t.nftBackend()) iptablesNftFamilies.add(v6 ? "ip6" : "ip");
                });
            }
        }
        if (nft.available()) {
            failures.attempt(() -> {
                for (NftBaseChain c : NftBaseChain.parseRuleset(nft.listRulesetJson())) {
                    if (!isForeignForwardChain(c, iptablesNftFamilies) || !c.blocks()) continue;
                    failures.attempt(() -> ensureNft(c, clusterCidrs).ifPresent(found::add));
                }
            });
        }
        failures.throwIfAny();
        return List.copyOf(found);
    }

    /** Deletes every rule the guard added (comment starting with {@value #MARKER}); returns how many. */
    public int remove() {
        int removed = 0;
        Failures failures = new Failures();
        for (boolean v6 : new boolean[] {false, true}) {
            for (Tool t : iptablesTools(v6)) {
                removed += failures.attempt(() -> {
                    int n = 0;
                    for (IptablesChain.Rule r : listForward(t).map(IptablesChain::rules).orElse(List.of())) {
                        if (!r.isJcni()) continue;
                        List<String> argv = new ArrayList<>(List.of(t.path(), "-w", WAIT, "-D", CHAIN));
                        argv.addAll(r.args());
                        runner.run(argv, null).orThrow("cannot delete jcni's rule from " + t.name() + " " + CHAIN);
                        n++;
                    }
                    return n;
                }, 0);
            }
        }
        if (nft.available()) {
            removed += failures.attempt(() -> {
                int n = 0;
                for (NftBaseChain c : NftBaseChain.parseRuleset(nft.listRulesetJson())) {
                    if (!isForeignForwardChain(c, List.of())) continue;
                    List<Object> commands = new ArrayList<>();
                    for (NftBaseChain.Rule r : c.rules()) {
                        if (r.comment().filter(x -> x.startsWith(MARKER)).isEmpty()) continue;
                        commands.add(NftJson.deleteRule(c, r.handle()));
                    }
                    if (!commands.isEmpty()) nft.applyJson(NftJson.batch(commands));
                    n += commands.size();
                }
                return n;
            }, 0);
        }
        failures.throwIfAny();
        if (removed > 0) log.info("removed " + removed + " jcni accept rule(s) from the host's forward chains");
        return removed;
    }

    // ---- iptables

    private Optional<Blocker> ensureIptables(Tool t, List<IpPrefix> cidrs) {
        Optional<IptablesChain> listed = listForward(t);
        if (listed.isEmpty() || !listed.get().blocks()) return Optional.empty();
        IptablesChain chain = listed.get();
        int firstBlock = chain.firstBlockingRule();
        int inserted = 0;
        for (IpPrefix cidr : cidrs) {
            for (Direction d : Direction.values()) {
                List<String> spec = List.of(d.iptablesFlag, cidr.toString(),
                        "-m", "comment", "--comment", d.comment(cidr), "-j", "ACCEPT");
                boolean present = iptablesCheck(t, spec);
                int at = chain.indexOfComment(d.comment(cidr));
                if (present && (firstBlock < 0 || (at >= 0 && at < firstBlock))) continue;
                if (present) iptables(t, "-D", spec, "cannot move jcni's rule above the drop");
                iptables(t, "-I", spec, "cannot insert jcni's accept rule");
                inserted++;
            }
        }
        String where = t.name() + " filter " + CHAIN;
        String action = inserted == 0 ? "accept rules already at the top"
                : "inserted " + inserted + " accept rule(s) for " + cidrs + " at position 1";
        if (inserted > 0) log.warn("host forwarding of pod traffic is blocked by " + where + " (" + chain.blockReason()
                + "); an accept in table " + NftRuleset.QUALIFIED_TABLE + " cannot override it, so " + action);
        return Optional.of(new Blocker(where, chain.blockReason(), true, action));
    }

    /** {@code -S FORWARD}; empty when this backend has no filter table (legacy module never loaded). */
    private Optional<IptablesChain> listForward(Tool t) {
        CommandResult r = runner.run(List.of(t.path(), "-w", WAIT, "-S", CHAIN), null);
        if (!r.ok() && r.stderr().contains("Table does not exist")) return Optional.empty();
        return Optional.of(IptablesChain.parse(CHAIN, r.orThrow("cannot list " + t.name() + " " + CHAIN).stdout()));
    }

    /** {@code -C}: exit 0 present, 1 absent, anything else an error. */
    private boolean iptablesCheck(Tool t, List<String> spec) {
        List<String> argv = new ArrayList<>(List.of(t.path(), "-w", WAIT, "-C", CHAIN));
        argv.addAll(spec);
        CommandResult r = runner.run(argv, null);
        if (r.exit() == 0 || r.exit() == 1) return r.exit() == 0;
        throw NetfilterException.failed("cannot check for jcni's rule in " + t.name() + " " + CHAIN, r);
    }

    private void iptables(Tool t, String op, List<String> spec, String what) {
        List<String> argv = new ArrayList<>(List.of(t.path(), "-w", WAIT, op, CHAIN));
        if (op.equals("-I")) argv.add("1");
        argv.addAll(spec);
        runner.run(argv, null).orThrow(what + " in " + t.name() + " " + CHAIN);
    }

    /** Both backends when both are installed, else the plain tool; none installed gives none. */
    private List<Tool> iptablesTools(boolean v6) {
        String base = v6 ? "ip6tables" : "iptables";
        List<Tool> tools = new ArrayList<>();
        runner.locate(base + "-legacy").ifPresent(p -> tools.add(new Tool(base + "-legacy", p, v6, false)));
        runner.locate(base + "-nft").ifPresent(p -> tools.add(new Tool(base + "-nft", p, v6, true)));
        if (tools.isEmpty()) {
            // Only the plain tool: "iptables v1.8.9 (nf_tables)" or "(legacy)"; older ones print neither.
            runner.locate(base).ifPresent(p -> tools.add(new Tool(base, p, v6,
                    runner.run(List.of(p, "--version"), null).stdout().contains("nf_tables"))));
        }
        return tools;
    }

    // ---- nftables

    private Optional<Blocker> ensureNft(NftBaseChain c, List<IpPrefix> clusterCidrs) {
        List<IpPrefix> cidrs = switch (c.family()) {
            case "ip" -> ofFamily(clusterCidrs, false);
            case "ip6" -> ofFamily(clusterCidrs, true);
            case "inet", "bridge" -> clusterCidrs;
            default -> List.of(); // no other family has a forward hook
        };
        if (cidrs.isEmpty()) return Optional.empty(); // none of the cluster's traffic passes this chain
        int firstBlock = c.firstBlockingRule();
        List<Object> commands = new ArrayList<>();
        List<String> byHand = new ArrayList<>();
        for (IpPrefix cidr : cidrs) {
            for (Direction d : Direction.values()) {
                String comment = d.comment(cidr);
                byHand.add("nft insert rule " + c.family() + " " + c.table() + " " + c.name() + " "
                        + (cidr.isIpv6() ? "ip6 " : "ip ") + d.nftField + " " + cidr + " accept comment '\"" + comment + "\"'");
                int at = c.indexOfComment(comment);
                if (at >= 0 && (firstBlock < 0 || at < firstBlock)) continue;
                if (at >= 0) commands.add(NftJson.deleteRule(c, c.rules().get(at).handle()));
                commands.add(NftJson.insertAccept(c, d.nftField, cidr, comment));
            }
        }
        String where = c.describe();
        if (commands.isEmpty()) return Optional.of(new Blocker(where, c.blockReason(), true, "accept rules already at the top"));
        String problem = "host forwarding of pod traffic is blocked by " + where + " (" + c.blockReason()
                + "); an accept in table " + NftRuleset.QUALIFIED_TABLE + " cannot override it";
        try {
            // JSON input: takes any table or chain name, even one nft's own syntax would read as a keyword.
            nft.applyJson(NftJson.batch(commands));
        } catch (NetfilterException e) {
            log.warn(problem + ", and inserting accept rules failed; the operator must run: " + String.join("; ", byHand));
            throw e;
        }
        long inserted = commands.stream().filter(o -> ((java.util.Map<?, ?>) o).containsKey("insert")).count();
        String action = "inserted " + inserted + " accept rule(s) for " + cidrs + " at the top of the chain";
        log.warn(problem + "; " + action);
        return Optional.of(new Blocker(where, c.blockReason(), true, action));
    }

    /**
     * A forward base chain that is neither jcni's own nor iptables-nft's {@code filter FORWARD} of a family
     * the iptables-nft tool already handled.
     */
    private static boolean isForeignForwardChain(NftBaseChain c, List<String> iptablesNftFamilies) {
        if (!c.hook().equals("forward")) return false;
        if (c.family().equals(NftRuleset.FAMILY) && c.table().equals(NftRuleset.TABLE)) return false;
        return !(iptablesNftFamilies.contains(c.family()) && c.table().equals("filter") && c.name().equals(CHAIN));
    }

    private static List<IpPrefix> ofFamily(List<IpPrefix> cidrs, boolean v6) {
        return cidrs.stream().filter(p -> p.isIpv6() == v6).toList();
    }

    /** Runs independent steps, keeping the first failure and suppressing the rest into it. */
    private static final class Failures {
        private RuntimeException first;

        void attempt(Runnable step) {
            attempt(() -> { step.run(); return null; }, null);
        }

        <T> T attempt(java.util.function.Supplier<T> step, T onFailure) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
                return onFailure;
            }
        }

        void throwIfAny() {
            if (first != null) throw first;
        }
    }
}
