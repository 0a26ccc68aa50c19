package dev.jcni.cli;

import dev.jcni.agent.Backend;
import dev.jcni.lab.Lab;
import dev.jcni.lab.LabSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jcni lab up|status|trace|topology|down}: the whole system on one machine. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The whole picture on one machine: nodes are network namespaces on an underlay switch,",
                "each with a real agent; pods are made by the real plugin; a matrix shows what works."},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Trace.class,
                LabCommand.Topology.class, LabCommand.Down.class})
final class LabCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    static class Common {
        @Option(names = "--lab-dir", defaultValue = "/var/lib/jcni-lab", description = "Where the lab keeps its state. Default: ${DEFAULT-VALUE}")
        Path labDir;

        @Option(names = "--prefix", defaultValue = LabSpec.DEFAULT_PREFIX, description = "Prefix of every namespace. Default: ${DEFAULT-VALUE}")
        String prefix;

        LabSpec spec(int nodes, int pods, String backend, String source, int subnets) {
            return new LabSpec(prefix, nodes, pods, Backend.parse(backend), source, subnets, labDir.toAbsolutePath());
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Build the lab, make the pods, print the connectivity matrix (exit 0 only if every cell passes).")
    static final class Up extends Common implements Callable<Integer> {
        @Option(names = "--nodes", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}") int nodes;
        @Option(names = "--pods-per-node", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}") int pods;
        @Option(names = "--backend", defaultValue = "host-gw", description = "host-gw | vxlan | auto. Default: ${DEFAULT-VALUE}") String backend;
        @Option(names = "--source", defaultValue = "file", description = "file | etcd (the lab starts its own etcd). Default: ${DEFAULT-VALUE}") String source;
        @Option(names = "--subnets", defaultValue = "1", description = "1, or 2: even nodes on a second subnet behind the router. Default: ${DEFAULT-VALUE}") int subnets;

        @Override
        public Integer call() throws Exception {
            Lab lab = new Lab(System.out);
            try {
                return lab.up(spec(nodes, pods, backend, source, subnets));
            } catch (Exception e) {
                System.out.println();
                System.out.println("✗ lab up failed: " + e.getMessage());
                System.out.println("  what was built is recorded; `jcni lab down` removes it");
                return 1;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The nodes, pods and connectivity of the running lab.")
    static final class Status extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception { return new Lab(System.out).status(labDir.toAbsolutePath()); }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true, description = "The hop-by-hop path from pod SRC to pod DST, from the live routing state.")
    static final class Trace extends Common implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", arity = "0..1", description = "Source pod (default: the first pod of the first node).") String src;
        @picocli.CommandLine.Parameters(index = "1", arity = "0..1", description = "Destination pod or 'internet' (default: the last pod of the last node).") String dst;

        @Override
        public Integer call() throws Exception { return new dev.jcni.lab.Tracer(System.out).trace(labDir.toAbsolutePath(), src, dst); }
    }

    @Command(name = "topology", mixinStandardHelpOptions = true, description = "A picture of nodes, bridges, pods, underlay and routes.")
    static final class Topology extends Common implements Callable<Integer> {
        @Option(names = "--svg", description = "Write an SVG (opens in a browser).") Path svg;
        @Option(names = "--dot", description = "Write a Graphviz DOT file.") Path dot;

        @Override
        public Integer call() throws Exception { return new dev.jcni.lab.TopologyPicture(System.out).render(labDir.toAbsolutePath(), svg, dot); }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove every namespace, process and file of the lab (idempotent; works after a crash).")
    static final class Down extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception { return new Lab(System.out).down(spec(1, 1, "host-gw", "file", 1)); }
    }
}
