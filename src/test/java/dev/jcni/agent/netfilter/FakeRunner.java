package dev.jcni.agent.netfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** A {@link CommandRunner} that answers from a script and records every command with its stdin. */
final class FakeRunner implements CommandRunner {
    record Call(String line, String stdin) {}

    private final Set<String> installed;
    private final Function<String, CommandResult> answers;
    final List<Call> calls = new ArrayList<>();

    /** {@code answers} gets the command as one line, the binary without its directory ("iptables-nft -w 5 -S FORWARD"). */
    FakeRunner(Set<String> installed, Function<String, CommandResult> answers) {
        this.installed = installed;
        this.answers = answers;
    }

    static CommandResult ok(String stdout) { return new CommandResult(List.of("fake"), 0, stdout, ""); }

    static CommandResult exit(int code, String stderr) { return new CommandResult(List.of("fake"), code, "", stderr); }

    @Override
    public CommandResult run(List<String> argv, String stdin) {
        List<String> words = new ArrayList<>(argv);
        words.set(0, words.getFirst().substring(words.getFirst().lastIndexOf('/') + 1));
        String line = String.join(" ", words);
        calls.add(new Call(line, stdin));
        CommandResult r = answers.apply(line);
        if (r == null) throw new AssertionError("unexpected command: " + line);
        return r;
    }

    @Override
    public Optional<String> locate(String name) {
        return installed.contains(name) ? Optional.of("/usr/sbin/" + name) : Optional.empty();
    }

    /** The commands that change something (everything but listing and checking). */
    List<String> changes() {
        return calls.stream().map(Call::line)
                .filter(l -> !l.contains(" -S ") && !l.contains(" -C ") && !l.contains("--version") && !l.contains("list "))
                .toList();
    }
}
