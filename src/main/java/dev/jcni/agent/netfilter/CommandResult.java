package dev.jcni.agent.netfilter;

import java.util.List;

/** What one external command ({@code nft}, {@code iptables}) did: its argv, exit status and output. */
public record CommandResult(List<String> command, int exit, String stdout, String stderr) {
    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean ok() { return exit == 0; }

    /** Returns this result when the command succeeded; otherwise throws a {@link NetfilterException}. */
    public CommandResult orThrow(String what) {
        if (exit != 0) throw NetfilterException.failed(what, this);
        return this;
    }
}
