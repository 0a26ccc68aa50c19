package dev.jcni.cli;

import dev.jcni.agent.Agent;
import dev.jcni.agent.AgentConfig;
import dev.jcni.agent.Backend;
import dev.jcni.agent.Netfilter;
import dev.jcni.agent.source.ClusterStateSource;
import dev.jcni.ipam.IpPrefix;
import dev.jcni.netlink.Inet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code jcni agent}: the node daemon. Runs in the foreground until SIGTERM. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"The node agent: writes this node's CNI config, routes to every other node's pod CIDR "
                + "(host-gw or VXLAN), and keeps forward-accept and masquerade rules, from cluster state.",
                "SIGTERM stops it and leaves the datapath in place."})
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--node-name", required = true, description = "This node's name in cluster state.")
    String nodeName;

    @Option(names = "--node-ip", description = "This node's underlay address (default: the default route's source).")
    String nodeIp;

    @Option(names = "--source", required = true, description = "file:PATH | etcd:URL[,URL] | kubernetes")
    String source;

    @Option(names = "--cluster-cidr", description = "The cluster's pod range (required for etcd, which leases blocks of it).")
    String clusterCidr;

    @Option(names = "--node-cidr-size", defaultValue = "24", description = "Prefix length of each node's block (etcd). Default: ${DEFAULT-VALUE}")
    int nodeCidrSize;

    @Option(names = "--backend", defaultValue = "auto", description = "auto | host-gw | vxlan. Default: ${DEFAULT-VALUE}")
    String backend;

    @Option(names = "--cni-conf-dir", defaultValue = "/etc/cni/net.d", description = "Default: ${DEFAULT-VALUE}")
    Path cniConfDir;

    @Option(names = "--state-dir", defaultValue = "/var/lib/jcni", description = "Default: ${DEFAULT-VALUE}")
    Path stateDir;

    @Option(names = "--bridge", defaultValue = "cni0", description = "Default: ${DEFAULT-VALUE}")
    String bridge;

    @Option(names = "--metrics-addr", defaultValue = "127.0.0.1:9765", description = "host:port for /healthz, /readyz, /metrics, /status; 'off' to disable. Default: ${DEFAULT-VALUE}")
    String metricsAddr;

    @Option(names = "--resync", defaultValue = "30s", description = "Period of the full reconcile. Default: ${DEFAULT-VALUE}")
    String resync;

    @Option(names = "--etcd-lease-ttl", defaultValue = "1h", description = "How long an agent that stopped keeps its block (etcd). Default: ${DEFAULT-VALUE}")
    String etcdLeaseTtl;

    @Option(names = "--plugin-socket", description = "Unix socket where the agent runs plugin requests for a warm, fast ADD/DEL "
            + "('off' to disable). Default: <state-dir>/plugin.sock")
    String pluginSocket;

    @Option(names = "--no-netfilter", description = "Leave netfilter alone (another component owns it).")
    boolean noNetfilter;

    @Override
    public Integer call() throws Exception {
        InetAddress ip = nodeIp == null ? null : Inet.parse(nodeIp);
        AgentConfig cfg = new AgentConfig(nodeName, ip, source, clusterCidr == null ? null : IpPrefix.parse(clusterCidr),
                nodeCidrSize, Backend.parse(backend), cniConfDir.toAbsolutePath(), stateDir.toAbsolutePath(), bridge,
                parseAddr(metricsAddr), parseDuration(resync), parseDuration(etcdLeaseTtl),
                "off".equals(pluginSocket) ? null : pluginSocket == null ? stateDir.toAbsolutePath().resolve("plugin.sock")
                        : Path.of(pluginSocket).toAbsolutePath());
        ClusterStateSource src = Sources.create(cfg);
        Netfilter nf = noNetfilter ? Netfilter.NONE : Sources.netfilter();
        Agent agent = new Agent(cfg, src, nf);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(agent::close));
        agent.start();
        agent.awaitStop();
        return 0;
    }

    static InetSocketAddress parseAddr(String s) {
        if (s.equals("off")) return null;
        int colon = s.lastIndexOf(':');
        return new InetSocketAddress(Inet.parse(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1)));
    }

    static Duration parseDuration(String s) {
        if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        if (s.endsWith("s")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        if (s.endsWith("h")) return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        return Duration.ofSeconds(Long.parseLong(s));
    }
}
