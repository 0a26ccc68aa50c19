package dev.jcni.agent.netfilter;

import java.util.List;
import java.util.Optional;

/**
 * Runs the netfilter tools. The agent is a process in the node's network namespace, so the product uses
 * {@link #direct()}: a child process inherits the namespace. Tests wrap every command in a prefix such
 * as {@code ip netns exec <ns>} with {@link #prefixed} so they never touch the namespace they run in.
 * A runner may also be faked to test the decisions made on the tools' output.
 */
public interface CommandRunner {

    /** Runs {@code argv} (argv[0] an absolute path from {@link #locate}), feeding {@code stdin} if not null. */
    CommandResult run(List<String> argv, String stdin);

    /** The absolute path of the executable {@code name}, or empty when it is not installed. */
    Optional<String> locate(String name);

    /** Runs commands as child processes of the agent, in the agent's own network namespace. */
    static CommandRunner direct() { return new ProcessCommandRunner(List.of()); }

    /** Runs every command as {@code prefix + argv}, e.g. {@code [ip, netns, exec, node1]}. */
    static CommandRunner prefixed(List<String> prefix) { return new ProcessCommandRunner(prefix); }
}
