package dev.jcni.cli;

import dev.jcni.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jcni status}: this node's CIDR, its peers and the state of each peer's route, from the agent. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print this node's pod CIDR, its peers and each peer's route, as the agent last saw them.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--state-dir", defaultValue = "/var/lib/jcni", description = "The agent's --state-dir. Default: ${DEFAULT-VALUE}")
    Path stateDir;

    @Option(names = "--json", description = "Print the raw status JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path f = stateDir.resolve("status.json");
        if (!Files.exists(f)) {
            System.err.println("jcni status: no " + f + " (is the agent running with --state-dir " + stateDir + "?)");
            return 1;
        }
        String text = Files.readString(f);
        if (json) {
            System.out.print(text);
            return 0;
        }
        JsonObject s = JsonObject.parse(text);
        System.out.printf("node     %s  %s%n", s.str("node"), s.str("ip"));
        System.out.printf("pod CIDR %s%n", String.join(", ", s.optStrList("podCidrs").orElse(List.of())));
        System.out.printf("backend  %s   source %s (%s)   ready %s   updated %s%n", s.str("backend"), s.str("source"),
                s.optBool("sourceConnected").orElse(false) ? "connected" : "DISCONNECTED",
                s.optBool("ready").orElse(false), s.str("updated"));
        System.out.printf("%n%-16s %-15s %-22s %-8s %-15s %s%n", "PEER", "IP", "POD CIDR", "MODE", "VIA", "ROUTE");
        for (JsonObject p : s.optObjectList("peers").orElse(List.of())) {
            System.out.printf("%-16s %-15s %-22s %-8s %-15s %s%n", p.str("name"), p.optStr("ip").orElse("-"),
                    String.join(",", p.optStrList("podCidrs").orElse(List.of())), p.optStr("mode").orElse("-"),
                    p.optStr("via").orElse("-"), p.optStr("route").orElse("-"));
        }
        return 0;
    }
}
