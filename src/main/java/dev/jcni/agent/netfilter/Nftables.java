package dev.jcni.agent.netfilter;

import java.util.List;
import java.util.Optional;

/**
 * The {@code nft} tool, for the agent's table {@code inet jcni}. Commands run through a
 * {@link CommandRunner}; in the agent that is a plain child process, which inherits the node's network
 * namespace. Failures throw {@link NetfilterException} with nft's stderr.
 */
public final class Nftables {
    private final CommandRunner runner;

    public Nftables(CommandRunner runner) {
        this.runner = runner;
    }

    /** nft run directly by the agent process. */
    public Nftables() {
        this(CommandRunner.direct());
    }

    /** Whether nft is installed. */
    public boolean available() {
        return runner.locate("nft").isPresent();
    }

    /** Replaces the table with the one {@code plan} describes: {@code nft -f -} on {@link NftRuleset#script}. */
    public void apply(NetfilterPlan plan) {
        apply(NftRuleset.script(plan));
    }

    /** Runs {@code script} as one atomic transaction ({@code nft -f -}, script on stdin). */
    public void apply(String script) {
        run(List.of("-f", "-"), script).orThrow("nft rejected the ruleset");
    }

    /** Runs nft JSON commands ({@code {"nftables": [...]}}) as one transaction: {@code nft -j -f -}. */
    public void applyJson(String json) {
        run(List.of("-j", "-f", "-"), json).orThrow("nft rejected the commands");
    }

    /** {@code nft list table inet jcni}; empty when the table does not exist. */
    public Optional<String> listTable() {
        CommandResult r = run(List.of("list", "table", NftRuleset.FAMILY, NftRuleset.TABLE), null);
        if (r.ok()) return Optional.of(r.stdout());
        if (isNoSuchObject(r)) return Optional.empty();
        throw NetfilterException.failed("cannot list table " + NftRuleset.QUALIFIED_TABLE, r);
    }

    /** Removes the table; succeeds when it is already gone. */
    public void deleteTable() {
        apply(NftRuleset.deleteScript());
    }

    /** {@code nft -j list ruleset}: every table of the namespace, as JSON. */
    public String listRulesetJson() {
        return run(List.of("-j", "list", "ruleset"), null).orThrow("cannot list the nftables ruleset").stdout();
    }

    private CommandResult run(List<String> args, String stdin) {
        String nft = runner.locate("nft").orElseThrow(() -> NetfilterException.missingBinary("nft",
                "install nftables: the agent manages its rules with nft"));
        List<String> argv = new java.util.ArrayList<>(args.size() + 1);
        argv.add(nft);
        argv.addAll(args);
        return runner.run(argv, stdin);
    }

    /** nft reports a missing table as ENOENT: "Error: No such file or directory". */
    static boolean isNoSuchObject(CommandResult r) {
        return r.exit() == 1 && r.stderr().contains("No such file or directory");
    }
}
